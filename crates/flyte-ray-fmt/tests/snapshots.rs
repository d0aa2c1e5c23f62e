//! Snapshots of the curated cases: each model type, a string crossing column
//! 80, hyphen breaks, quotes/backslashes/control characters, Unicode (NBSP,
//! U+2028, combining marks, emoji with ZWJ) and pod-spec numbers (NaN, -0.0,
//! 1e16, 1/3).
//!
//! Every case is first asserted equal to the reference flytekit output in
//! `tests/data/curated.json` (made by `scripts/gen_curated.py`), so a
//! snapshot can only ever hold the reference output.

use flyte_ray_fmt::{
    parse_text_format, pool, short_string, short_string_bytes, text_format, text_format_bytes,
};
use prost_reflect::DynamicMessage;
use serde_json::Value;

fn field<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key].as_str().unwrap_or_default()
}

#[test]
fn curated_cases_match_reference_and_snapshots() {
    let curated: Value = serde_json::from_str(include_str!("data/curated.json"))
        .expect("curated.json is valid JSON");
    let cases = curated["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 18, "curated case count");
    for case in &cases {
        let name = field(case, "name");
        let proto = field(case, "proto");
        let ty = field(case, "type");
        let bytes = hex::decode(field(case, "pb_hex")).expect("pb_hex is hex");

        let text = text_format_bytes(proto, &bytes).expect("decodes");
        let short = short_string_bytes(ty, proto, &bytes).expect("decodes");
        assert_eq!(text, field(case, "text"), "{name}: text format vs flytekit");
        assert_eq!(
            short,
            field(case, "short_string"),
            "{name}: short_string vs flytekit"
        );

        // The reflection path agrees with the wire path.
        let desc = pool().get_message_by_name(proto).expect("known message");
        let msg = DynamicMessage::decode(desc, bytes.as_slice()).expect("decodes");
        assert_eq!(text_format(&msg), text, "{name}: reflection text format");
        assert_eq!(
            short_string(ty, &msg),
            short,
            "{name}: reflection short_string"
        );

        // And the text reads back.
        let back = parse_text_format(proto, &text).expect("text format parses");
        assert_eq!(text_format(&back), text, "{name}: read back");

        insta::assert_snapshot!(format!("{name}__text"), text);
        insta::assert_snapshot!(format!("{name}__short_string"), short);
    }
}
