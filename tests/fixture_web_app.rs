//! A stand-in for an app under test, for `tests/web_server.rs`: with `$WEB_APP_PORT` set it
//! counts its start (a line in `$WEB_APP_STARTS`) and answers every request on that port
//! with a page saying "web app"; with `$WEB_APP_CRASH` set it prints a line and exits with
//! status 3 instead. Without `$WEB_APP_PORT` (as a test binary of the suite) it does
//! nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

const PAGE: &str = "<!doctype html><title>web app</title><h1 id=app>web app</h1>";

fn main() {
    let Ok(port) = std::env::var("WEB_APP_PORT") else {
        return;
    };
    if let Ok(starts) = std::env::var("WEB_APP_STARTS") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(starts)
            .expect("open the starts file");
        writeln!(file, "started").expect("count the start");
    }
    println!("web app starting on port {port}");
    if std::env::var_os("WEB_APP_CRASH").is_some() {
        eprintln!("boom: the database is not there");
        std::process::exit(3);
    }
    let listener = TcpListener::bind(("127.0.0.1", port.parse::<u16>().expect("a port")))
        .expect("bind the port");
    for stream in listener.incoming().flatten() {
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        // The request's head, up to its blank line.
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
            line.clear();
        }
        let _ = write!(
            &stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{PAGE}",
            PAGE.len()
        );
    }
}
