//! Replays every input saved under `tests/data/fuzz-failures/<target>/`
//! (inputs that once crashed a fuzz target) through the same check the
//! target runs (`flyte_ray_models::testing::check_fuzz_input`). Passes with
//! no files; fails when the directory is missing or a file names an unknown
//! target.
//!
//! Inputs listed in `tests/data/fuzz-failures/known_failures.txt` (with a
//! reason each) are accepted gaps: they must still fail, so that a fix shows
//! up as "remove this line".

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use flyte_ray_models::testing::{FUZZ_TARGETS, check_fuzz_input};

fn failures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fuzz-failures")
}

/// `<target>/<file>` → reason.
fn known_failures() -> BTreeMap<String, String> {
    let path = failures_dir().join("known_failures.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return BTreeMap::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (file, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "known_failures.txt: {file} has no reason"
            );
            (file.to_owned(), reason.trim().to_owned())
        })
        .collect()
}

#[test]
fn every_recorded_fuzz_failure_passes() {
    let dir = failures_dir();
    assert!(dir.is_dir(), "{} must exist", dir.display());
    let mut known = known_failures();
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
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(".md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let outcome = check_fuzz_input(&target, &data).unwrap();
            replayed += 1;
            let expected_failure = known.remove(&format!("{target}/{name}"));
            match (outcome, expected_failure) {
                (Ok(()), None) | (Err(_), Some(_)) => {}
                (Err(e), None) => broken.push(format!("{}: {e}", path.display())),
                (Ok(()), Some(_)) => broken.push(format!(
                    "{}: passes now; remove it from known_failures.txt",
                    path.display()
                )),
            }
        }
    }
    assert!(
        known.is_empty(),
        "known_failures.txt names missing files: {:?}",
        known.keys()
    );
    assert!(
        broken.is_empty(),
        "{} of {replayed} inputs:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
