//! `cargo xtask fuzz-corpus` and `cargo xtask fuzz`: seed corpora from the
//! golden cases, and short cargo-fuzz campaigns over every target.
//!
//! The fuzz crate (`fuzz/`) is its own workspace; its targets call
//! `flyte_ray_models::testing::check_*`. A fuzz input's first byte picks the
//! message (its index in `flyte_ray_idl::MODEL_MESSAGES_V1`, modulo 13) and
//! the rest is the payload, so every seed written here is `[tag] + payload`.
//! The seeds come from the golden cases of both IDL generations (flyteidl,
//! then flyteidl2, tagged by the flyteidl name of their message), and for
//! `decode_bytes` and `convert` also from the unknown-field cases.
//! This module reads the golden JSONL files with a small JSON reader of its
//! own, so xtask needs no JSON dependency.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The fuzz targets, as named in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 7] = [
    "decode_bytes",
    "json_from_str",
    "yaml_from_str",
    "convert",
    "task_config",
    "render",
    "text_from_str",
];

/// The shipped example tasks seeding `render` (besides every golden
/// `RayJob`, as a bare spec).
pub const RENDER_EXAMPLES: [&str; 3] = [
    "examples/ray_task.json",
    "examples/ray_task_v2.json",
    "examples/ray_job.yaml",
];

/// The golden task-layer files (RayJobConfig documents) seeding
/// `task_config`: the random and upstream golden sets and the hand-written
/// reference cases (`extra.jsonl`: the shipped example, one document per
/// warning rule, extended resources, bad quantities).
pub const TASK_GOLDEN_FILES: [&str; 4] = [
    "crates/flyte-ray-task/tests/data/golden-task/flytekit.jsonl",
    "crates/flyte-ray-task/tests/data/golden-task/flyte2.jsonl",
    "crates/flyte-ray-task/tests/data/golden-task/upstream.jsonl",
    "crates/flyte-ray-task/tests/data/golden-task/extra.jsonl",
];

/// The golden files the seeds come from, relative to the workspace root:
/// flyteidl (flytekit) and flyteidl2 (Flyte 2).
pub const GOLDEN_FILES: [&str; 4] = [
    "tests/data/golden/golden.jsonl",
    "tests/data/golden/golden-adversarial.jsonl",
    "tests/data/golden-v2/golden-v2.jsonl",
    "tests/data/golden-v2/golden-v2-adversarial.jsonl",
];

/// The differential unknown-field cases (hand-made wire inputs, recorded
/// from Python's upb), seeding `decode_bytes` and `convert` with unknown
/// fields at every depth, inside pod specs and env entries too.
pub const UNKNOWN_GOLDEN: &str = "crates/flyte-ray-models/tests/data/unknown_golden.jsonl";

/// The message names, in tag order (must match
/// `flyte_ray_idl::MODEL_MESSAGES_V1`).
const MESSAGES: [&str; 13] = [
    "flyteidl.plugins.RayJob",
    "flyteidl.plugins.RayCluster",
    "flyteidl.plugins.HeadGroupSpec",
    "flyteidl.plugins.WorkerGroupSpec",
    "flyteidl.plugins.AutoscalerOptions",
    "flyteidl.core.K8sPod",
    "flyteidl.core.K8sObjectMetadata",
    "flyteidl.core.Resources",
    "flyteidl.core.DataLoadingConfig",
    "flyteidl.core.IOStrategy",
    "flyteidl.core.ExtendedResources",
    "flyteidl.core.GPUAccelerator",
    "flyteidl.core.SharedMemory",
];

/// Writes the seed corpora under `fuzz/corpus/<target>/` (replacing what
/// was there) and returns the number of files written per target.
pub fn write_corpus(root: &Path) -> Result<Vec<(&'static str, usize)>> {
    write_corpus_to(root, &root.join("fuzz/corpus"))
}

/// [`write_corpus`] into `corpus` instead of `root/fuzz/corpus`.
fn write_corpus_to(root: &Path, corpus: &Path) -> Result<Vec<(&'static str, usize)>> {
    let mut counts = Vec::new();
    for target in TARGETS {
        let dir = corpus.join(target);
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        counts.push((target, 0usize));
    }
    let mut write = |target: &str, name: &str, data: &[u8]| -> Result<()> {
        let path = corpus.join(target).join(name);
        fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
        if let Some(c) = counts.iter_mut().find(|(t, _)| *t == target) {
            c.1 += 1;
        }
        Ok(())
    };
    for file in GOLDEN_FILES {
        let path = root.join(file);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let case = Json::parse(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
            let field = |key: &str| {
                case.get(key)
                    .with_context(|| format!("{}:{}: no `{key}`", path.display(), n + 1))
            };
            let id = field("id")?
                .as_str()
                .unwrap_or("case")
                .replace(['/', '\\'], "_");
            // flyteidl2 cases name their flyteidl message in `v1_proto`.
            let proto = case
                .get("v1_proto")
                .map_or_else(|| field("proto"), Ok)?
                .as_str()
                .unwrap_or_default();
            let Some(tag) = MESSAGES.iter().position(|m| *m == proto) else {
                bail!("{}:{}: unknown message {proto:?}", path.display(), n + 1);
            };
            let tag = tag as u8;
            let pb = unhex(field("pb_hex")?.as_str().unwrap_or_default())
                .with_context(|| format!("{}:{}: bad pb_hex", path.display(), n + 1))?;
            let json = field("json")?;
            let seed = |payload: &[u8]| [&[tag][..], payload].concat();
            let json_text = json.to_json();
            let yaml_text = json.to_yaml();
            write("decode_bytes", &id, &seed(&pb))?;
            write("json_from_str", &id, &seed(json_text.as_bytes()))?;
            write(
                "yaml_from_str",
                &format!("{id}-flow"),
                &seed(json_text.as_bytes()),
            )?;
            write(
                "yaml_from_str",
                &format!("{id}-block"),
                &seed(yaml_text.as_bytes()),
            )?;
            if proto.ends_with("plugins.RayJob") {
                // render: the first byte picks the backend (even v1, odd Flyte 2).
                for (tag, v) in [(0u8, "v1"), (1u8, "v2")] {
                    let doc = [&[tag][..], json_text.as_bytes()].concat();
                    write("render", &format!("{id}-{v}"), &doc)?;
                }
            }
            let text = field("text")?.as_str().unwrap_or_default();
            write("text_from_str", &id, &seed(text.as_bytes()))?;
            write("convert", &format!("{id}-text"), &seed(text.as_bytes()))?;
            write("convert", &format!("{id}-pb"), &seed(&pb))?;
            write(
                "convert",
                &format!("{id}-json"),
                &seed(json_text.as_bytes()),
            )?;
            write(
                "convert",
                &format!("{id}-yaml"),
                &seed(yaml_text.as_bytes()),
            )?;
        }
    }
    let path = root.join(UNKNOWN_GOLDEN);
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    for (n, line) in text.lines().enumerate() {
        let case =
            Json::parse(line).with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
        let (Some(id), Some(ty), Some(input)) =
            (case.get("id"), case.get("type"), case.get("in_hex"))
        else {
            bail!("{}:{}: no id, type or in_hex", path.display(), n + 1);
        };
        let ty = ty.as_str().unwrap_or_default();
        let Some(tag) = MESSAGES
            .iter()
            .position(|m| m.rsplit('.').next() == Some(ty))
        else {
            bail!("{}:{}: unknown message {ty:?}", path.display(), n + 1);
        };
        let pb = unhex(input.as_str().unwrap_or_default())
            .with_context(|| format!("{}:{}: bad in_hex", path.display(), n + 1))?;
        let id = format!(
            "unknown-{}",
            id.as_str().unwrap_or("case").replace(['/', '\\'], "_")
        );
        let seed = [&[tag as u8][..], &pb].concat();
        write("decode_bytes", &id, &seed)?;
        write("convert", &format!("{id}-pb"), &seed)?;
    }
    for file in RENDER_EXAMPLES {
        let path = root.join(file);
        let text = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = file.rsplit('/').next().unwrap_or(file);
        for (tag, v) in [(0u8, "v1"), (1u8, "v2")] {
            write(
                "render",
                &format!("{name}-{v}"),
                &[&[tag][..], &text].concat(),
            )?;
        }
    }
    // task_config: the first byte picks the SDK (even flytekit, odd Flyte 2).
    for file in TASK_GOLDEN_FILES {
        let path = root.join(file);
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            let case = Json::parse(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), n + 1))?;
            let (Some(id), Some(sdk), Some(config)) =
                (case.get("id"), case.get("sdk"), case.get("config"))
            else {
                bail!("{}:{}: no id, sdk or config", path.display(), n + 1);
            };
            let tag = u8::from(sdk.as_str() == Some("flyte2"));
            let id = id.as_str().unwrap_or("case").replace(['/', '\\'], "_");
            let doc = [&[tag][..], config.to_json().as_bytes()].concat();
            write("task_config", &id, &doc)?;
            let doc = [&[tag][..], config.to_yaml().as_bytes()].concat();
            write("task_config", &format!("{id}-yaml"), &doc)?;
        }
    }
    Ok(counts)
}

/// `cargo xtask fuzz [--seconds N] [TARGET...]`: runs the named targets
/// (all when none is named) for `N` seconds each (default 60).
pub fn run_cli(root: &Path, args: &[String]) -> Result<()> {
    let (mut seconds, mut targets) = (60, Vec::new());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seconds" => match rest.next().map(|s| s.parse::<u64>()) {
                Some(Ok(n)) => seconds = n,
                _ => bail!("fuzz: --seconds needs a number"),
            },
            _ => targets.push(arg.clone()),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    run(root, seconds, &targets)
}

/// Runs every target in `targets` for `seconds` seconds, one after the
/// other, with `cargo +nightly fuzz run --sanitizer none`. Writes the seed corpora first when
/// missing. On a crash, copies libFuzzer's artifacts to
/// `tests/data/fuzz-failures/<target>/` and fails.
pub fn run(root: &Path, seconds: u64, targets: &[String]) -> Result<()> {
    let ok = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        bail!("`cargo +nightly fuzz` is not available: install it with `cargo install cargo-fuzz`");
    }
    if !root.join("fuzz/corpus/decode_bytes").is_dir() {
        write_corpus(root)?;
    }
    let mut failed = Vec::new();
    for target in targets {
        if !TARGETS.contains(&target.as_str()) {
            bail!(
                "unknown fuzz target {target:?} (targets: {})",
                TARGETS.join(", ")
            );
        }
        println!("== fuzzing {target} for {seconds} s");
        let status = Command::new("cargo")
            .current_dir(root.join("fuzz"))
            // No sanitizer: our code is `unsafe`-free (workspace lint), and
            // ASan would halve the executions per second.
            .args(["+nightly", "fuzz", "run", "--sanitizer", "none", target])
            .arg(format!("corpus/{target}"))
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-print_final_stats=1",
            ])
            .status()
            .with_context(|| format!("running cargo fuzz run {target}"))?;
        if !status.success() {
            let saved = save_artifacts(root, target)?;
            for path in &saved {
                eprintln!("saved {}", path.display());
            }
            failed.push(target.clone());
        }
    }
    if !failed.is_empty() {
        bail!(
            "fuzz target(s) crashed: {}; inputs saved under tests/data/fuzz-failures/ \
             (replayed by crates/flyte-ray-models/tests/prop_fuzz_failures.rs)",
            failed.join(", ")
        );
    }
    Ok(())
}

/// Copies `fuzz/artifacts/<target>/{crash,oom,timeout,leak}-*` to
/// `tests/data/fuzz-failures/<target>/`.
fn save_artifacts(root: &Path, target: &str) -> Result<Vec<PathBuf>> {
    let from = root.join("fuzz/artifacts").join(target);
    let to = root.join("tests/data/fuzz-failures").join(target);
    fs::create_dir_all(&to).with_context(|| format!("creating {}", to.display()))?;
    let mut saved = Vec::new();
    let Ok(entries) = fs::read_dir(&from) else {
        return Ok(saved);
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let keep = ["crash-", "oom-", "timeout-", "leak-"]
            .iter()
            .any(|p| name.to_string_lossy().starts_with(p));
        if keep {
            let dest = to.join(&name);
            fs::copy(entry.path(), &dest)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            saved.push(dest);
        }
    }
    Ok(saved)
}

fn unhex(s: &str) -> Result<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        bail!("odd length");
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).context("not hex"))
        .collect()
}

/// A JSON value, numbers kept as written.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn parse(s: &str) -> Result<Json> {
        let mut p = Parser {
            s: s.as_bytes(),
            i: 0,
        };
        let v = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            bail!("trailing characters at {}", p.i);
        }
        Ok(v)
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => quote(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// Block-style YAML (strings double-quoted, which YAML reads as JSON
    /// strings), so the YAML seeds exercise more than flow style.
    fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Json::Object(f) if !f.is_empty() => self.write_yaml(0, &mut out),
            Json::Array(a) if !a.is_empty() => self.write_yaml(0, &mut out),
            _ => {
                out.push_str(&self.to_json());
                out.push('\n');
            }
        }
        out
    }

    fn write_yaml(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match self {
            Json::Object(fields) if !fields.is_empty() => {
                for (k, v) in fields {
                    out.push_str(&pad);
                    quote(k, out);
                    out.push(':');
                    v.write_yaml_after_key(indent, out);
                }
            }
            Json::Array(items) if !items.is_empty() => {
                for v in items {
                    out.push_str(&pad);
                    out.push('-');
                    v.write_yaml_after_key(indent, out);
                }
            }
            _ => {
                out.push_str(&pad);
                out.push_str(&self.to_json());
                out.push('\n');
            }
        }
    }

    fn write_yaml_after_key(&self, indent: usize, out: &mut String) {
        match self {
            Json::Object(f) if !f.is_empty() => {
                out.push('\n');
                self.write_yaml(indent + 2, out);
            }
            Json::Array(a) if !a.is_empty() => {
                out.push('\n');
                self.write_yaml(indent + 2, out);
            }
            _ => {
                out.push(' ');
                out.push_str(&self.to_json());
                out.push('\n');
            }
        }
    }
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json> {
        if depth > 256 {
            bail!("nested too deeply");
        }
        self.ws();
        match self.s.get(self.i) {
            None => bail!("unexpected end"),
            Some(b'{') => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    if !self.eat(":") {
                        bail!("expected `:` at {}", self.i);
                    }
                    let v = self.value(depth + 1)?;
                    fields.push((k, v));
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("}") {
                        return Ok(Json::Object(fields));
                    }
                    bail!("expected `,` or `}}` at {}", self.i);
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("]") {
                        return Ok(Json::Array(items));
                    }
                    bail!("expected `,` or `]` at {}", self.i);
                }
            }
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(_) if self.eat("null") => Ok(Json::Null),
            Some(_) if self.eat("true") => Ok(Json::Bool(true)),
            Some(_) if self.eat("false") => Ok(Json::Bool(false)),
            Some(_) => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    self.i += 1;
                }
                if start == self.i {
                    bail!("unexpected character at {}", self.i);
                }
                Ok(Json::Number(
                    String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                ))
            }
        }
    }

    fn string(&mut self) -> Result<String> {
        if !self.eat("\"") {
            bail!("expected a string at {}", self.i);
        }
        let mut out: Vec<u16> = Vec::new();
        let mut bytes: Vec<u8> = Vec::new();
        let flush = |bytes: &mut Vec<u8>, out: &mut Vec<u16>| -> Result<()> {
            let s = std::str::from_utf8(bytes).context("invalid UTF-8")?;
            out.extend(s.encode_utf16());
            bytes.clear();
            Ok(())
        };
        loop {
            let Some(&b) = self.s.get(self.i) else {
                bail!("unterminated string")
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    flush(&mut bytes, &mut out)?;
                    let Some(&e) = self.s.get(self.i) else {
                        bail!("unterminated escape")
                    };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).context("short \\u escape")?;
                            let hex = std::str::from_utf8(hex).context("bad \\u escape")?;
                            out.push(u16::from_str_radix(hex, 16).context("bad \\u escape")?);
                            self.i += 4;
                            continue;
                        }
                        _ => bail!("bad escape at {}", self.i),
                    };
                    let mut buf = [0u16; 2];
                    out.extend_from_slice(c.encode_utf16(&mut buf));
                }
                _ => bytes.push(b),
            }
        }
        flush(&mut bytes, &mut out)?;
        String::from_utf16(&out).context("lone surrogate in a string")
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    /// The task_config seeds are every golden-task document (617 cases) and
    /// every hand-written reference case (34), as JSON and as YAML, tagged
    /// with the SDK that made the case.
    #[test]
    fn task_config_seeds_hold_the_golden_and_extra_cases() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root");
        let corpus = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
        let counts = super::write_corpus_to(root, &corpus).expect("corpus written");
        let n = counts
            .iter()
            .find(|(t, _)| *t == "task_config")
            .map(|(_, n)| *n);
        assert_eq!(n, Some(2 * (617 + 34)));
        let seed = std::fs::read(corpus.join("task_config/extra-flyte2-bad-quantity-yaml"))
            .expect("an extra seed");
        assert_eq!(seed.first(), Some(&1), "Flyte 2 is tag 1");
        let text = String::from_utf8(seed[1..].to_vec()).expect("utf-8");
        assert!(text.contains("2 cores"), "{text}");
        let seed = std::fs::read(corpus.join("task_config/extra-flytekit-example"))
            .expect("the example seed");
        assert_eq!(seed.first(), Some(&0), "flytekit is tag 0");
        std::fs::remove_dir_all(&corpus).expect("cleaned up");
    }

    #[test]
    fn reads_and_writes_json_and_yaml() {
        let v = Json::parse(r#"{"a": [1, -2.5e3, {"b": "x\"\u00e9\n"}], "c": {}, "d": null}"#)
            .expect("parses");
        assert_eq!(
            v.to_json(),
            r#"{"a":[1,-2.5e3,{"b":"x\"é\n"}],"c":{},"d":null}"#
        );
        assert_eq!(
            v.to_yaml(),
            "\"a\":\n  - 1\n  - -2.5e3\n  -\n    \"b\": \"x\\\"é\\n\"\n\"c\": {}\n\"d\": null\n"
        );
    }
}
