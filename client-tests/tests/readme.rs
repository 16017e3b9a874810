//! The README's usage example is the compiled example, word for word.

#[test]
fn readme_example_is_the_quickstart_example() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/quickstart.rs");
    let start = readme.find("```rust\n").expect("README has a rust block") + "```rust\n".len();
    let end = start + readme[start..].find("```").expect("block ends");
    assert_eq!(&readme[start..end], example);
}
