//! Fields the schema does not know, through the built binary (issue 12 item
//! 4, issue 16 item 4): kept from binary input and written back byte-exact,
//! named by `validate` (rule `unknown-field`), refused by JSON, YAML and text
//! output unless `--ignore-unknown-fields`, which then names on stderr every
//! field it dropped; and every JSON/YAML key `--ignore-unknown-fields`
//! skips, named on stderr by `show`/`convert` and warned about by
//! `validate`.

use std::time::Duration;

use assert_cmd::Command;

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

fn run(args: &[&str], stdin: &[u8]) -> Run {
    let out = Command::cargo_bin("flyte-ray")
        .expect("binary built")
        .timeout(Duration::from_secs(60))
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("run flyte-ray");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A flyteidl 1 RayJob (`rayCluster { workerGroupSpec { groupName: "w"
/// replicas: 1 } }`, field numbers from flyteidl 1.16.8's schema: RayJob 1
/// ray_cluster, RayCluster 2 worker_group_spec, WorkerGroupSpec 1
/// group_name and 2 replicas) with fields no flyteidl generation has,
/// appended at three depths, one of each wire type but fixed64:
/// - WorkerGroupSpec field 99, varint 7 (key 99<<3|0 = 792 = `98 06`);
/// - RayCluster field 50, length-delimited "hi" (key 50<<3|2 = 402 = `92 03`);
/// - RayJob field 15, fixed32 01020304 (key 15<<3|5 = `7d`), then field
///   20 as a group holding field 1 = varint 1 (start 20<<3|3 = `a3 01`,
///   end 20<<3|4 = `a4 01`).
///
/// Each unknown field comes after its message's known fields, which is
/// where protobuf's C++ and upb runtimes write unknown fields back, so
/// decode then encode must give these bytes again.
const SPEC: &[u8] = &[
    0x0a, 0x0f, // RayJob.ray_cluster, 15 bytes
    0x12, 0x08, // RayCluster.worker_group_spec, 8 bytes
    0x0a, 0x01, b'w', // group_name "w"
    0x10, 0x01, // replicas 1
    0x98, 0x06, 0x07, // field 99, varint 7
    0x92, 0x03, 0x02, b'h', b'i', // field 50, "hi"
    0x7d, 0x01, 0x02, 0x03, 0x04, // field 15, fixed32
    0xa3, 0x01, 0x08, 0x01, 0xa4, 0x01, // field 20, group { 1: 1 }
];

/// Each unknown field of [`SPEC`]: its path (`#N` for field N of the
/// message at that path) and its wire type.
const UNKNOWN: [(&str, &str, &str); 4] = [
    ("#15", "fixed32", "flyteidl.plugins.RayJob"),
    ("#20", "group", "flyteidl.plugins.RayJob"),
    (
        "rayCluster.#50",
        "length-delimited",
        "flyteidl.plugins.RayCluster",
    ),
    (
        "rayCluster.workerGroupSpec[0].#99",
        "varint",
        "flyteidl.plugins.WorkerGroupSpec",
    ),
];

#[test]
fn unknown_fields_survive_pb_to_pb_byte_exact() {
    for args in [
        &["convert", "--from", "pb", "--to", "pb", "-"][..],
        &["convert", "-o", "pb", "-"],
        // Binary output keeps them even under --ignore-unknown-fields: pb
        // carries them, nothing needs dropping.
        &[
            "convert",
            "--from",
            "pb",
            "-o",
            "pb",
            "--ignore-unknown-fields",
            "-",
        ],
    ] {
        let r = run(args, SPEC);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, SPEC, "{args:?}");
        assert_eq!(r.stderr, "", "{args:?}");
    }
}

#[test]
fn validate_names_each_unknown_field() {
    let r = run(&["validate", "-"], SPEC);
    // Warnings only: exit code 0, one line per unknown field.
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = r.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), UNKNOWN.len(), "{out}");
    for (path, wire, message) in UNKNOWN {
        let number = path.rsplit('#').next().unwrap_or_default();
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("warning [unknown-field] {path}: ")))
            .unwrap_or_else(|| panic!("no finding for {path}: {out}"));
        assert!(
            line.contains(&format!(
                "field {number} ({wire}) of {message} is not in the schema"
            )),
            "{line}"
        );
    }
    assert!(
        r.stderr.contains("RayJob: 0 errors, 4 warnings"),
        "{}",
        r.stderr
    );

    // --strict fails on them; --allow unknown-field silences them.
    assert_eq!(run(&["validate", "--strict", "-"], SPEC).code, Some(1));
    let r = run(
        &["validate", "--strict", "--allow", "unknown-field", "-"],
        SPEC,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout(), "");

    // JSON lines: each with rule, path and the wire type in the message.
    let r = run(&["validate", "--output", "json", "-"], SPEC);
    let out = r.stdout();
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), UNKNOWN.len(), "{out}");
    for ((path, wire, _), row) in UNKNOWN.iter().zip(&rows) {
        assert_eq!(row["rule"], "unknown-field");
        assert_eq!(row["severity"], "warning");
        assert_eq!(row["path"], *path);
        assert!(
            row["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("({wire})"))),
            "{row}"
        );
    }

    // A model without validation rules still names them.
    let cluster = &SPEC[2..17];
    let r = run(&["validate", "--type", "RayCluster", "-"], cluster);
    assert!(
        r.stdout().contains("warning [unknown-field] #50: "),
        "{}",
        r.stdout()
    );
    let group = &SPEC[4..12];
    let r = run(&["validate", "--type", "IOStrategy", "-"], &[0x78, 0x01]);
    assert!(
        r.stdout()
            .contains("warning [unknown-field] #15: field 15 (varint) of flyteidl.core.IOStrategy"),
        "{}",
        r.stdout()
    );
    let r = run(&["validate", "--type", "WorkerGroupSpec", "-"], group);
    assert!(
        r.stdout().contains("warning [unknown-field] #99: "),
        "{}",
        r.stdout()
    );
}

#[test]
fn json_yaml_and_text_output_refuse_them_naming_the_field() {
    for to in ["json", "yaml", "text"] {
        let r = run(&["convert", "-o", to, "-"], SPEC);
        assert_eq!(r.code, Some(1), "{to}");
        assert_eq!(r.stdout, b"", "{to}");
        // The first unknown field, named, and the way out.
        assert!(
            r.stderr
                .contains("unknown field 15 (fixed32) of flyteidl.plugins.RayJob"),
            "{to}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("--ignore-unknown-fields"),
            "{to}: {}",
            r.stderr
        );
        let what = if to == "text" { "text format" } else { "JSON" };
        assert!(
            r.stderr.contains(&format!("cannot write {what}: ")),
            "{to}: {}",
            r.stderr
        );
    }
}

#[test]
fn ignore_unknown_fields_drops_them_with_a_note_each() {
    for (to, expected) in [
        (
            "json",
            "{\n  \"rayCluster\": {\n    \"workerGroupSpec\": [\n      {\n        \
             \"groupName\": \"w\",\n        \"replicas\": 1\n      }\n    ]\n  }\n}\n",
        ),
        (
            "yaml",
            "rayCluster:\n  workerGroupSpec:\n  - groupName: w\n    replicas: 1\n",
        ),
        (
            "text",
            "ray_cluster {\n  worker_group_spec {\n    group_name: \"w\"\n    replicas: 1\n  }\n}\n",
        ),
    ] {
        let r = run(&["show", "-o", to, "--ignore-unknown-fields", "-"], SPEC);
        assert_eq!(r.code, Some(0), "{to}: {}", r.stderr);
        // The known fields, exactly (the spec's proto3 JSON / text format).
        assert_eq!(r.stdout(), expected, "{to}");
        let notes: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(notes.len(), UNKNOWN.len(), "{to}: {}", r.stderr);
        for ((path, wire, message), note) in UNKNOWN.iter().zip(&notes) {
            let number = path.rsplit('#').next().unwrap_or_default();
            assert!(
                note.starts_with(&format!(
                    "flyte-ray: warning: {path}: dropped field {number} ({wire}) of {message}"
                )),
                "{to}: {note}"
            );
        }
    }
}

#[test]
fn ignore_unknown_fields_names_every_skipped_key() {
    // Unknown keys at three depths (one in a list item), and an enum value
    // name the enum does not have (ParseDict with ignore_unknown_fields
    // leaves the field unset).
    let json = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "a"}, {"groupName": "b", "replicaz": 2}],
        "autoscalerOptions": {"upscalingMode": "Fast"}, "zzz": {"deep": 1}}, "bogus": true}"#;
    let yaml = "rayCluster:\n  workerGroupSpec:\n  - groupName: a\n  - groupName: b\n    \
                replicaz: 2\n  autoscalerOptions:\n    upscalingMode: Fast\n  zzz:\n    deep: 1\nbogus: true\n";
    let expected = [
        "rayCluster.workerGroupSpec[1].replicaz: skipped: flyteidl.plugins.WorkerGroupSpec has no field named \"replicaz\"",
        "rayCluster.autoscalerOptions.upscalingMode: skipped: \"Fast\" is no value of flyteidl.plugins.AutoscalerOptions.UpscalingMode; the field is left unset",
        "rayCluster.zzz: skipped: flyteidl.plugins.RayCluster has no field named \"zzz\"",
        "bogus: skipped: flyteidl.plugins.RayJob has no field named \"bogus\"",
    ];
    for (doc, from) in [(json, "json"), (yaml, "yaml")] {
        for args in [
            &["show", "--ignore-unknown-fields", "-"][..],
            &[
                "convert",
                "--from",
                from,
                "-o",
                "json",
                "--ignore-unknown-fields",
                "-",
            ],
        ] {
            let r = run(args, doc.as_bytes());
            assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
            let notes: Vec<&str> = r.stderr.lines().collect();
            assert_eq!(notes.len(), expected.len(), "{args:?}: {}", r.stderr);
            for (note, want) in notes.iter().zip(expected) {
                assert_eq!(*note, format!("flyte-ray: warning: {want}"), "{args:?}");
            }
        }
        // validate: a warning per skipped key, rule unknown-field, path of
        // the key itself.
        let r = run(
            &["validate", "--ignore-unknown-fields", "-o", "json", "-"],
            doc.as_bytes(),
        );
        let rows: Vec<serde_json::Value> = r
            .stdout()
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        let skipped: Vec<&str> = rows
            .iter()
            .filter(|r| r["rule"] == "unknown-field")
            .filter_map(|r| r["path"].as_str())
            .collect();
        assert_eq!(
            skipped,
            [
                "rayCluster.workerGroupSpec[1].replicaz",
                "rayCluster.autoscalerOptions.upscalingMode",
                "rayCluster.zzz",
                "bogus"
            ],
            "{from}"
        );
        // Without the flag: the first unknown key is an error, as always.
        let r = run(&["validate", "-"], doc.as_bytes());
        assert_eq!(r.code, Some(1), "{from}");
        assert!(
            r.stderr.contains("has no field named \"replicaz\""),
            "{}",
            r.stderr
        );
    }

    // Inside a flytectl task, the note names the task and where the RayJob sits.
    let task = format!(
        r#"{{"id": {{"project": "p", "domain": "d", "name": "t", "version": "v1"}},
            "closure": {{"compiledTask": {{"template": {{"custom": {json}}}}}}}}}"#
    );
    let r = run(&["show", "--ignore-unknown-fields", "-"], task.as_bytes());
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.lines().any(|l| l
            == "flyte-ray: warning: p/d/t@v1: bogus: skipped: flyteidl.plugins.RayJob has no field \
                named \"bogus\" (RayJob at closure.compiledTask.template.custom)"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_says_what_ignore_unknown_fields_does() {
    for cmd in ["show", "convert", "validate"] {
        let r = run(&[cmd, "--help"], b"");
        let out = r.stdout();
        assert!(out.contains("--ignore-unknown-fields"), "{cmd}: {out}");
        for needle in ["names each", "unknown-field", "byte-exact", "dropped"] {
            assert!(out.contains(needle), "{cmd}: {needle}: {out}");
        }
    }
}
