//! The README's main example against the reference: `flyte-ray show
//! examples/ray_job.yaml -o short` prints exactly flytekit's short_string
//! of that spec (recorded by `tests/data/examples/gen_short_string.py` with
//! flytekit 1.16.31), plus the one newline the tool always adds.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn show_short_of_the_example_is_flytekits_string() {
    let want = std::fs::read_to_string(root().join("tests/data/examples/ray_job.short_string.txt"))
        .expect("the recorded short_string");
    let out = Command::new(env!("CARGO_BIN_EXE_flyte-ray"))
        .args(["show", "-o", "short"])
        .arg(root().join("examples/ray_job.yaml"))
        .output()
        .expect("run flyte-ray");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{want}\n"));
    // flytekit's string cuts the worker groups and pod specs (`[...]`);
    // the default output does not.
    assert!(want.contains("[...]"));
    let out = Command::new(env!("CARGO_BIN_EXE_flyte-ray"))
        .arg("show")
        .arg(root().join("examples/ray_job.yaml"))
        .output()
        .expect("run flyte-ray");
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(!yaml.contains("[...]"));
    assert_eq!(yaml.matches("groupName:").count(), 2, "{yaml}");
    assert_eq!(yaml.matches("podSpec:").count(), 3, "{yaml}");
}
