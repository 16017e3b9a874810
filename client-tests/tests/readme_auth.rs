//! The README's authentication example is compiled code, word for word.

#[test]
fn readme_auth_example_is_the_auth_example() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/auth.rs");
    assert!(
        readme.contains(&format!("```rust\n{example}```")),
        "README's block differs from examples/auth.rs"
    );
}
