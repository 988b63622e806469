use serde_json::json;
use session_test_demo_app::DemoSites;
use std::time::{Duration, Instant};
fn main() -> session_test::Result<()> {
    let sites = DemoSites::start().unwrap();
    let url = sites.app.url("/blank");
    let origin = sites.app.base_url();
    let a = session_test::Page::new_isolated()?;
    let b = session_test::Page::new_isolated()?;
    let mk = r#"new Promise((res, rej) => { const r = indexedDB.open('db', 1);
      r.onupgradeneeded = () => { r.result.createObjectStore('s', { autoIncrement: true }); };
      r.onsuccess = () => { const db = r.result; const tx = db.transaction('s', 'readwrite');
        const st = tx.objectStore('s'); st.add('a'); st.add('b'); st.add('c'); const d = st.delete(3);
        tx.oncomplete = () => { window.__db = db; res('ok'); }; }; r.onerror = () => rej(r.error); })"#;
    for p in [&a, &b] {
        p.visit(&url)?;
        println!("make {:?}", p.eval(mk)?);
    }
    // generator probe with abort
    let probe = r#"new Promise((res) => { const tx = __db.transaction('s', 'readwrite'); const r = tx.objectStore('s').add('probe');
        r.onsuccess = () => { const k = r.result; tx.abort(); tx.onabort = () => {
          const t2 = __db.transaction('s','readwrite'); const r2 = t2.objectStore('s').add('probe2'); r2.onsuccess = () => { const k2 = r2.result; t2.abort(); res([k, k2]); }; }; }; })"#;
    println!("probe keys (k, k after abort): {:?}", a.eval(probe)?);
    let t = Instant::now();
    let r = a.cdp().call_raw(
        "Storage.clearDataForOrigin",
        json!({"origin": origin, "storageTypes": "indexeddb"}),
        Duration::from_secs(5),
    );
    println!("clear {:?} in {:?}", r, t.elapsed());
    let list = "indexedDB.databases().then(d => JSON.stringify(d))";
    println!("a after clear: {:?} db closed? {:?}", a.eval(list)?, a.eval("new Promise(res => { try { __db.transaction('s'); res('open'); } catch (e) { res(String(e)); } })")?);
    println!("b after clear of a: {:?}", b.eval(list)?);
    let t = Instant::now();
    let r = a.cdp().call_raw(
        "Storage.clearDataForOrigin",
        json!({"origin": origin, "storageTypes": "indexeddb"}),
        Duration::from_secs(5),
    );
    println!(
        "clear again (nothing there) {:?} in {:?}",
        r.is_ok(),
        t.elapsed()
    );
    Ok(())
}
