//! Replays every input saved under `tests/data/fuzz-failures/<target>/`
//! (inputs that once crashed a fuzz target) through the same check the
//! target runs (`flyte_ray_models::testing::check_fuzz_input`). Passes with
//! no files; fails when the directory is missing or a file names an unknown
//! target.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use flyte_ray_models::testing::{FUZZ_TARGETS, check_fuzz_input};

fn failures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fuzz-failures")
}

#[test]
fn every_recorded_fuzz_failure_passes() {
    let dir = failures_dir();
    assert!(dir.is_dir(), "{} must exist", dir.display());
    let mut replayed = 0;
    let mut broken = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let target = entry.file_name().to_string_lossy().into_owned();
        assert!(
            FUZZ_TARGETS.contains(&target.as_str()),
            "{}: not a fuzz target (targets: {FUZZ_TARGETS:?})",
            entry.path().display()
        );
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with('.') || name.ends_with(".md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let outcome = check_fuzz_input(&target, &data).unwrap();
            replayed += 1;
            if let Err(e) = outcome {
                broken.push(format!("{}: {e}", path.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {replayed} inputs fail:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
