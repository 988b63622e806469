//! The demo app's HTTP/1.1 server: a thread for each connection, kept alive as long as the
//! client keeps it. (tiny_http, used before, serves connections from a pool that can queue
//! a new connection behind the idle kept-alive ones of browsers: its requests then waited
//! until one of those closed, 30 s and more.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The largest request body read (the app's forms and JSON are small; IndexedDB stays in the
/// browser).
const MAX_BODY: usize = 64 << 20;

/// A request method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Other(String),
}

/// A request: its method, target (path and query), headers and body.
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<Header>,
    body: Vec<u8>,
}

impl Request {
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request target: path and query, as sent.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first header named `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// A header of a request or a response.
#[derive(Debug, Clone)]
pub struct Header {
    name: String,
    value: String,
}

impl Header {
    pub fn new(name: &str, value: &str) -> Header {
        Header {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// A response: status, headers, body (its length is sent with it).
pub struct Response {
    status: u16,
    headers: Vec<Header>,
    body: Vec<u8>,
}

impl Response {
    /// A 200 response with `body`.
    pub fn from_string(body: impl Into<String>) -> Response {
        Response {
            status: 200,
            headers: Vec::new(),
            body: body.into().into_bytes(),
        }
    }

    pub fn with_status_code(mut self, status: u16) -> Response {
        self.status = status;
        self
    }

    pub fn with_header(mut self, header: Header) -> Response {
        self.headers.push(header);
        self
    }

    fn write_to(
        &self,
        out: &mut impl Write,
        head_only: bool,
        keep_alive: bool,
    ) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for h in &self.headers {
            head.push_str(&format!("{}: {}\r\n", h.name, h.value));
        }
        let connection = if keep_alive { "keep-alive" } else { "close" };
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: {connection}\r\n\r\n",
            self.body.len()
        ));
        // One write: the head and the body in one segment.
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        out.write_all(&bytes)?;
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        _ => "Status",
    }
}

/// A listening server; stops accepting when dropped (open connections end with their
/// clients).
pub struct Server {
    port: u16,
    stopped: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on `127.0.0.1:0` and answers each request with `handle`.
    pub fn start(
        handle: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stopped = Arc::new(AtomicBool::new(false));
        let handle = Arc::new(handle);
        let accept = {
            let stopped = Arc::clone(&stopped);
            std::thread::Builder::new()
                .name(format!("demo-app-{port}"))
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stopped.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        let handle = Arc::clone(&handle);
                        let _ = std::thread::Builder::new()
                            .name("demo-app-connection".into())
                            .spawn(move || serve(stream, &*handle));
                    }
                })?
        };
        Ok(Server {
            port,
            stopped,
            accept: Some(accept),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees `stopped`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Answers the requests of one connection until the client closes it or asks to.
fn serve(stream: TcpStream, handle: &dyn Fn(&Request) -> Response) {
    let _ = stream.set_nodelay(true);
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut input = BufReader::new(stream);
    loop {
        let request = match read_request(&mut input, &mut out) {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(status) => {
                let _ = Response::from_string("")
                    .with_status_code(status)
                    .write_to(&mut out, false, false);
                break;
            }
        };
        let keep_alive = !request
            .header("Connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let response = handle(&request);
        let head_only = matches!(&request.method, Method::Other(m) if m == "HEAD");
        if response.write_to(&mut out, head_only, keep_alive).is_err() || !keep_alive {
            break;
        }
    }
    let _ = out.shutdown(Shutdown::Both);
}

/// The next request of a connection; `None` when the client closed it; `Err(status)` for
/// one that cannot be read.
fn read_request(
    input: &mut BufReader<TcpStream>,
    out: &mut TcpStream,
) -> Result<Option<Request>, u16> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => return Ok(None),
        Ok(_) => {}
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(url)) = (parts.next(), parts.next()) else {
        return Err(400);
    };
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => Method::Other(other.to_owned()),
    };
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(400);
        };
        headers.push(Header::new(name.trim(), value.trim()));
    }
    let mut request = Request {
        method,
        url: url.to_owned(),
        headers,
        body: Vec::new(),
    };
    let length = match request.header("Content-Length") {
        Some(n) => n.parse::<usize>().map_err(|_| 400u16)?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(413);
    }
    if request
        .header("Expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        let _ = out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    request.body = vec![0; length];
    if input.read_exact(&mut request.body).is_err() {
        return Ok(None);
    }
    Ok(Some(request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_alive_connection_and_a_new_one_are_both_answered() {
        let server =
            Server::start(|r| Response::from_string(format!("{} {}", r.url(), r.body().len())))
                .unwrap();
        // A client that keeps its connection open and idle, as a browser does.
        let mut idle = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        idle.write_all(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        // Its whole reply (`Content-Length: 4`), the connection left open.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            idle.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let mut body = [0u8; 4];
        idle.read_exact(&mut body).unwrap();
        assert_eq!(&body, b"/a 0");
        let mut other = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        other
            .write_all(b"POST /b HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz")
            .unwrap();
        let mut all = String::new();
        other.read_to_string(&mut all).unwrap();
        assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
        assert!(all.contains("Connection: close\r\n"), "{all}");
        assert!(all.ends_with("/b 3"), "{all}");
    }
}
