//! The demo delivers e-mail as `ouen-server serve` does without SMTP: the decisions its seed
//! makes tell their members, and those messages become `.eml` files in the demo's outbox.

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_writes_its_e_mail_as_files() {
    let demo = ouen::demo::start().await.expect("demo");
    let deadline = Instant::now() + Duration::from_secs(60);
    let written = loop {
        let files: Vec<String> = std::fs::read_dir(demo.outbox_dir())
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|name| name.ends_with(".eml"))
                    .collect()
            })
            .unwrap_or_default();
        if !files.is_empty() || Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        !written.is_empty(),
        "no e-mail was written in {}",
        demo.outbox_dir().display()
    );
    demo.stop().await;
}
