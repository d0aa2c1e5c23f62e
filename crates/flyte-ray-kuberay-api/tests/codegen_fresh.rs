//! The checked-in `src/gen/` matches what `cargo xtask codegen` makes from
//! KubeRay's CRD schema in `../shared/kuberay/` now.

#[test]
fn generated_code_is_fresh() {
    let root = xtask::workspace_root();
    let files = xtask::kuberay::generate(&root).expect("code generation failed");
    assert!(!files.is_empty());
    let mut stale = Vec::new();
    for file in &files {
        assert!(
            file.contents.starts_with(xtask::BANNER.as_bytes()),
            "{} lacks the @generated banner",
            file.path.display()
        );
        if std::fs::read(root.join(&file.path)).ok().as_deref() != Some(&file.contents[..]) {
            stale.push(&file.path);
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}; run `cargo xtask codegen`"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = xtask::workspace_root();
    let a = xtask::kuberay::generate(&root).expect("code generation failed");
    let b = xtask::kuberay::generate(&root).expect("code generation failed");
    assert_eq!(a, b);
}
