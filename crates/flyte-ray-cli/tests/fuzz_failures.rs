//! Replays every input the `convert` fuzz target ever crashed on
//! (`tests/data/fuzz-failures/convert/`) through the same check the target
//! runs, so a fixed crash stays fixed.

use std::path::PathBuf;

#[test]
fn recorded_convert_failures_pass() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/fuzz-failures/convert");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    let mut failures = Vec::new();
    let entries = std::fs::read_dir(&dir).expect("readable directory");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let data = std::fs::read(&path).expect("readable file");
        if let Err(e) = flyte_ray_cli::check_convert_input(&data) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_check_accepts_good_and_bad_input_alike() {
    // RayJob (tag 0) as JSON, converted to pb: a success that must round trip.
    let mut good = vec![0u8];
    good.extend_from_slice(
        br#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 2}]}}"#,
    );
    assert_eq!(flyte_ray_cli::check_convert_input(&good), Ok(()));
    // Garbage: the conversion fails, which is not a broken invariant.
    assert_eq!(
        flyte_ray_cli::check_convert_input(&[3, 0xff, 0x00, 0x12]),
        Ok(())
    );
}
