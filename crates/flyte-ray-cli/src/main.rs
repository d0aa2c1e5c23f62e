//! The `flyte-ray` command line tool (under construction).

fn main() {
    eprintln!("flyte-ray: not built yet");
    std::process::exit(2);
}
