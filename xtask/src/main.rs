//! `cargo xtask`: maintainer chores. Run `cargo xtask help` for the list.

use std::process::ExitCode;

use anyhow::{Result, bail};

const HELP: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate crates/flyte-ray-idl/src/gen from proto/ and
                      crates/flyte-ray-kuberay-api/src/gen from KubeRay's CRD
                      schema in ../shared/kuberay/;
                      with --check, change nothing and fail naming each stale file
  fuzz-corpus         write seed corpora from the golden cases to fuzz/corpus/<target>/
  fuzz [--seconds N] [TARGET...]
                      run every (or each named) cargo-fuzz target for N s (default 60)
                      with `cargo +nightly fuzz`; fails when a target crashes
  help                this text
";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let root = xtask::workspace_root();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = match args.get(1).map(String::as_str) {
                None => false,
                Some("--check") => true,
                Some(other) => bail!("codegen: unknown argument {other:?}\n\n{HELP}"),
            };
            if check {
                let stale = xtask::stale_files(&root)?;
                if stale.is_empty() {
                    println!("generated code is up to date");
                    return Ok(ExitCode::SUCCESS);
                }
                for path in &stale {
                    eprintln!("stale: {} (run `cargo xtask codegen`)", path.display());
                }
                return Ok(ExitCode::FAILURE);
            }
            let written = xtask::write_generated(&root)?;
            if written.is_empty() {
                println!("generated code is up to date; nothing written");
            }
            for path in written {
                println!("wrote {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("fuzz-corpus") => {
            for (target, n) in xtask::fuzz::write_corpus(&root)? {
                println!("fuzz/corpus/{target}: {n} seeds");
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("fuzz") => {
            xtask::fuzz::run_cli(&root, &args[1..])?;
            Ok(ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => bail!("unknown command {other:?}\n\n{HELP}"),
    }
}
