//! Conformance: text format and short_string of every golden case (made by
//! the real flytekit) are identical byte for byte.

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_fmt::{pool, short_string, short_string_bytes, text_format, text_format_bytes};
use prost_reflect::DynamicMessage;

#[test]
fn golden_text_and_short_string_identical() {
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES, "golden case count");
    let mut text_ok = 0;
    let mut short_ok = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let text = text_format_bytes(&case.proto, &case.pb)
            .unwrap_or_else(|e| panic!("case {}: {e}", case.id));
        if text == case.text {
            text_ok += 1;
        } else {
            failures.push(format!(
                "case {} ({}): text format differs\n--- expected\n{}\n--- got\n{}",
                case.id, case.ty, case.text, text
            ));
        }
        let short = short_string_bytes(&case.ty, &case.proto, &case.pb)
            .unwrap_or_else(|e| panic!("case {}: {e}", case.id));
        if short == case.short_string {
            short_ok += 1;
        } else {
            failures.push(format!(
                "case {} ({}): short_string differs\n--- expected\n{}\n--- got\n{}",
                case.id, case.ty, case.short_string, short
            ));
        }
    }
    check_reflection_path(&cases);
    for f in failures.iter().take(5) {
        eprintln!("{f}\n");
    }
    assert_eq!(
        (text_ok, short_ok),
        (golden::EXPECTED_CASES, golden::EXPECTED_CASES),
        "{} mismatches (first ones above)",
        failures.len()
    );
}

/// The reflection path (`DynamicMessage`), which the fast wire path falls
/// back to, gives the same output on every case.
fn check_reflection_path(cases: &[golden::Case]) {
    let mut ok = 0;
    for case in cases {
        let desc = pool()
            .get_message_by_name(&case.proto)
            .unwrap_or_else(|| panic!("case {}: unknown {}", case.id, case.proto));
        let msg = DynamicMessage::decode(desc, case.pb.as_slice())
            .unwrap_or_else(|e| panic!("case {}: {e}", case.id));
        assert_eq!(
            text_format(&msg),
            case.text,
            "case {}: reflection text",
            case.id
        );
        assert_eq!(
            short_string(&case.ty, &msg),
            case.short_string,
            "case {}: reflection short_string",
            case.id
        );
        ok += 1;
    }
    assert_eq!(ok, golden::EXPECTED_CASES);
}

#[test]
fn errors_name_the_message() {
    let err = text_format_bytes("flyteidl.plugins.Nope", b"").expect_err("unknown message");
    assert!(err.to_string().contains("flyteidl.plugins.Nope"), "{err}");
    let err = short_string_bytes("RayJob", "flyteidl.plugins.RayJob", b"\x0a\x05ab")
        .expect_err("truncated input");
    assert!(err.to_string().contains("flyteidl.plugins.RayJob"), "{err}");
    let err = flyte_ray_fmt::parse_text_format("flyteidl.plugins.RayJob", "nope: 1")
        .expect_err("unknown field");
    assert!(err.to_string().contains("flyteidl.plugins.RayJob"), "{err}");
}
