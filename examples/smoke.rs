use serde_json::json;
use std::time::Duration;
fn main() -> session_test::Result<()> {
    let page = session_test::Page::new_isolated()?;
    page.visit("http://app.localhost:8765/login")?;
    page.eval("localStorage.setItem('a','1'); sessionStorage.setItem('s','2')")?;
    let t = Duration::from_secs(5);
    for origin in ["http://app.localhost:8765"] {
        for key in [
            json!({"securityOrigin": origin, "isLocalStorage": true}),
            json!({"storageKey": format!("{origin}/"), "isLocalStorage": true}),
            json!({"securityOrigin": origin, "isLocalStorage": false}),
        ] {
            println!(
                "loaded: {:?}",
                page.cdp()
                    .call_raw(
                        "DOMStorage.getDOMStorageItems",
                        json!({"storageId": key}),
                        t
                    )
                    .map(|v| v.to_string().len())
            );
        }
    }
    page.visit("about:blank")?;
    for origin in ["http://app.localhost:8765"] {
        for key in [
            json!({"securityOrigin": origin, "isLocalStorage": true}),
            json!({"storageKey": format!("{origin}/"), "isLocalStorage": true}),
            json!({"securityOrigin": origin, "isLocalStorage": false}),
            json!({"storageKey": format!("{origin}/"), "isLocalStorage": false}),
        ] {
            println!(
                "blank get {key}: {:?}",
                page.cdp().call_raw(
                    "DOMStorage.getDOMStorageItems",
                    json!({"storageId": key}),
                    t
                )
            );
            println!(
                "blank set: {:?}",
                page.cdp().call_raw(
                    "DOMStorage.setDOMStorageItem",
                    json!({"storageId": key, "key": "x", "value": "y"}),
                    t
                )
            );
        }
    }
    println!(
        "clearDataForOrigin: {:?}",
        page.cdp().call_raw(
            "Storage.clearDataForOrigin",
            json!({"origin": "http://app.localhost:8765", "storageTypes": "local_storage"}),
            t
        )
    );
    println!(
        "clearBrowserCookies: {:?}",
        page.cdp()
            .call_raw("Network.clearBrowserCookies", json!({}), t)
    );
    page.visit("http://app.localhost:8765/login")?;
    println!(
        "after clear local: {} session: {}",
        page.eval("JSON.stringify(localStorage)")?,
        page.eval("JSON.stringify(sessionStorage)")?
    );
    Ok(())
}
