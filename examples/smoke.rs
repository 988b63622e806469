use std::time::Instant;
fn main() -> session_test::Result<()> {
    let t = Instant::now();
    let page = session_test::Page::new_isolated()?;
    println!("open {:?} pid {:?}", t.elapsed(), page.browser_pid());
    let t = Instant::now();
    page.visit("http://app.localhost:8765/login")?;
    println!("visit {:?}", t.elapsed());
    page.fill("#a", "hello")?;
    println!("value {}", page.eval("document.querySelector('#a').value")?);
    let t = Instant::now();
    page.click("#b")?;
    println!("click {:?} url {}", t.elapsed(), page.url()?);
    println!("text {}", page.text("#hello")?);
    let t = Instant::now();
    for _ in 0..20 {
        page.eval("1")?;
    }
    println!("eval x20 {:?}", t.elapsed());
    println!("title {:?} cookies {:?}", page.title()?, page.cookies()?);
    let tab = page.tab()?;
    println!("tab url {}", tab.get_url());
    page.close();
    Ok(())
}
