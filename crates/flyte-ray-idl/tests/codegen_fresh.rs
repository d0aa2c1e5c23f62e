//! The checked-in generated code matches what `cargo xtask codegen` makes
//! from `proto/` now.

#[test]
fn generated_code_is_fresh() {
    let root = xtask::workspace_root();
    let stale = xtask::stale_files(&root).expect("code generation failed");
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}; run `cargo xtask codegen`"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = xtask::workspace_root();
    let a = xtask::generate(&root).expect("code generation failed");
    let b = xtask::generate(&root).expect("code generation failed");
    assert_eq!(a, b);
    for file in &a {
        if file.path.extension().is_some_and(|e| e == "rs") {
            assert!(
                file.contents.starts_with(xtask::BANNER.as_bytes()),
                "{} lacks the @generated banner",
                file.path.display()
            );
        }
    }
}

#[test]
fn descriptor_set_describes_every_model_message() {
    use prost::Message;
    let fds = prost_types::FileDescriptorSet::decode(flyte_ray_idl::FILE_DESCRIPTOR_SET)
        .expect("descriptor set decodes");
    let mut names = Vec::new();
    for file in &fds.file {
        for msg in &file.message_type {
            names.push(format!("{}.{}", file.package(), msg.name()));
        }
    }
    let all = flyte_ray_idl::MODEL_MESSAGES_V1
        .iter()
        .chain(flyte_ray_idl::MODEL_MESSAGES_V2.iter());
    for name in flyte_ray_idl::MODEL_MESSAGES.iter().chain(all) {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from the descriptor set"
        );
    }
}
