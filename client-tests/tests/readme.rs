//! The README's usage examples are compiled code, word for word: the
//! quickstart and tasks examples and the unit-test-with-a-mock test file.

/// The `n`-th (0-based) ```rust block of the README.
fn rust_block(n: usize) -> &'static str {
    let readme = include_str!("../../README.md");
    let mut rest = readme;
    for _ in 0..n {
        let at = rest
            .find("```rust\n")
            .expect("README has enough rust blocks");
        rest = &rest[at + "```rust\n".len()..];
        rest = &rest[rest.find("```").expect("block ends") + 3..];
    }
    let start = rest.find("```rust\n").expect("README has the block") + "```rust\n".len();
    let end = start + rest[start..].find("```").expect("block ends");
    &rest[start..end]
}

#[test]
fn readme_example_is_the_quickstart_example() {
    assert_eq!(rust_block(0), include_str!("../examples/quickstart.rs"));
}

#[test]
fn readme_tasks_example_is_the_tasks_example() {
    assert_eq!(rust_block(1), include_str!("../examples/tasks.rs"));
}

#[test]
fn readme_mock_example_is_the_mock_test() {
    assert_eq!(rust_block(2), include_str!("mock_http.rs"));
}
