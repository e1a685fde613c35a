//! The `server` binary as an operator runs it: subcommands, the production secret rule, and
//! graceful shutdown with a request in flight.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_server");

fn command(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("OMNIFY_CONFIG", data_dir.join("absent.toml"))
        .env("OMNIFY_DATA_DIR", data_dir)
        .env("OMNIFY_RATE_LIMIT_AUTH", "0")
        .env("OMNIFY_LOG_FORMAT", "pretty")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_healthy(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).ok();
            if out.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "server exited during start-up");
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not become healthy");
}

#[test]
fn migrate_creates_the_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("omnify.db").exists());
    // Idempotent: a second run finds nothing to do and succeeds.
    assert!(command(dir.path()).arg("migrate").output().unwrap().status.success());
}

#[test]
fn production_refuses_to_start_without_a_jwt_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = command(dir.path()).env("OMNIFY_ENV", "production").arg("serve").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OMNIFY_JWT_SECRET is required in production"));
}

#[test]
fn shutdown_lets_in_flight_requests_finish() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = command(dir.path()).env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")).spawn().unwrap();
    wait_healthy(port, &mut child);

    // Start a sign-up whose body has not fully arrived, then ask the server to stop.
    let body = r#"{"email":"inflight@example.com","password":"password123","full_name":"In Flight","organization_name":"Graceful"}"#;
    let (head, tail) = body.split_at(body.len() / 2);
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "POST /api/auth/register HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    std::thread::sleep(Duration::from_millis(300));
    conn.write_all(tail.as_bytes()).unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "in-flight request was cut off: {response}");

    let status = child.wait().unwrap();
    assert!(status.success(), "server did not exit cleanly: {status:?}");
    let mut logs = String::new();
    child.stdout.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(logs.contains("shut down cleanly"), "{logs}");

    // Nothing was lost: after a restart the account can log in.
    let port = free_port();
    let mut child = command(dir.path()).env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")).spawn().unwrap();
    wait_healthy(port, &mut child);
    let login = r#"{"email":"inflight@example.com","password":"password123"}"#;
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "POST /api/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{login}",
        login.len()
    )
    .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

/// Sends one HTTP/1.1 request and reads the whole response (the server closes the connection).
fn request(port: u16, head: &str, body: &str) -> String {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(conn, "{head}\r\nhost: x\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn shutdown_ends_open_event_streams_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = command(dir.path()).env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")).spawn().unwrap();
    wait_healthy(port, &mut child);
    let body = r#"{"email":"stream@example.com","password":"password123","full_name":"Open Tab","organization_name":"Streams"}"#;
    let registered = request(port, "POST /api/auth/register HTTP/1.1\r\ncontent-type: application/json", body);
    let json: serde_json::Value = serde_json::from_str(registered.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let token = json["access_token"].as_str().unwrap();

    // A dashboard tab left open: its event stream never ends by itself.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET /api/dashboard/stream HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\r\n").unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    let asked = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    // The grace period is 20 s; an open stream must not hold the server that long.
    assert!(asked.elapsed() < Duration::from_secs(5), "shutdown took {:?}", asked.elapsed());
    assert!(status.success(), "server did not exit cleanly: {status:?}");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("the stream ends instead of hanging");
}

#[test]
fn demo_creates_a_sample_organization_the_same_way_for_the_same_seed() {
    let run = |seed: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = command(dir.path())
            .args(["demo", "--customers", "60", "--seed", seed, "--email", "owner@demo.test"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(text.contains("Log in as owner@demo.test"), "{text}");
        text.split(": ").nth(1).and_then(|s| s.split(' ').next()).unwrap().to_string()
    };
    let records = run("3");
    assert!(records.parse::<u64>().unwrap() > 60 + 1620, "customers, orders, events and campaign days: {records}");
    assert_eq!(run("3"), records, "same seed, same data");
}
