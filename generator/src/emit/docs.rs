//! Rustdoc attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for spec prose, blank-line separated.
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let attrs = lines(paragraphs, escape)
        .into_iter()
        .map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// The same for text this generator writes itself (links and markup kept).
pub fn doc_attrs_trusted<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let attrs = lines(paragraphs, str::to_owned)
        .into_iter()
        .map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// Inner `#![doc = "..."]` lines: the docs of the module a file is.
pub fn module_doc_attrs<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    trusted: bool,
) -> TokenStream {
    let escape: fn(&str) -> String = if trusted { str::to_owned } else { escape };
    let attrs = lines(paragraphs, escape)
        .into_iter()
        .map(|l| quote!(#![doc = #l]));
    quote!(#(#attrs)*)
}

fn lines<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    escape: fn(&str) -> String,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for line in paragraph.lines() {
            let line = line.trim_end();
            lines.push(if line.is_empty() {
                String::new()
            } else {
                format!(" {}", escape(line))
            });
        }
    }
    lines
}

/// Keeps spec prose from being read as rustdoc markup it is not: bare
/// brackets would be intra-doc links, angle brackets HTML tags.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code span, for docs that show paths and values verbatim.
pub fn code(text: &str) -> String {
    let ticks = if text.contains('`') { "``" } else { "`" };
    format!("{ticks}{text}{ticks}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doc comment the attributes print as, on an item.
    fn printed(attrs: TokenStream) -> String {
        let text = super::super::format_file("docs.rs", quote!(#attrs pub struct X;)).unwrap();
        text.strip_prefix(super::super::GENERATED_HEADER)
            .unwrap()
            .to_owned()
    }

    #[test]
    fn spec_prose_is_escaped_so_rustdoc_reads_it_as_text() {
        assert_eq!(
            printed(doc_attrs(["Returns [ids] as <List> of `a[0]`."])),
            "/// Returns \\[ids\\] as \\<List\\> of `a\\[0\\]`.\npub struct X;\n"
        );
    }

    #[test]
    fn markdown_other_than_links_and_tags_is_kept() {
        assert_eq!(
            printed(doc_attrs(["**Bold**, _em_, `code` & 50% * 2"])),
            "/// **Bold**, _em_, `code` & 50% * 2\npub struct X;\n"
        );
        // Text the generator writes keeps its links.
        assert_eq!(
            printed(doc_attrs_trusted(["See [`Client`](crate::Client)."])),
            "/// See [`Client`](crate::Client).\npub struct X;\n"
        );
    }

    #[test]
    fn paragraphs_are_separated_and_empty_ones_dropped() {
        let text = printed(doc_attrs([
            "  First line.  \n\n  indented second   ",
            "",
            "   \n ",
            "Last.",
        ]));
        // Lines keep their leading space, lose trailing blanks; an empty
        // line inside a paragraph stays one; empty paragraphs are skipped.
        assert_eq!(
            text,
            "/// First line.\n///\n///   indented second\n///\n/// Last.\npub struct X;\n"
        );
        assert!(doc_attrs(["", "  "]).is_empty());
    }

    #[test]
    fn module_docs_are_inner_attributes_escaped_unless_trusted() {
        let file = |trusted| {
            let attrs = module_doc_attrs(["A [b]."], trusted);
            super::super::format_file("m.rs", quote!(#attrs pub struct X;)).unwrap()
        };
        assert!(
            file(false).contains("\n//! A \\[b\\].\n"),
            "{}",
            file(false)
        );
        assert!(file(true).contains("\n//! A [b].\n"), "{}", file(true));
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a/b"), "`a/b`");
        assert_eq!(code("a`b"), "``a`b``");
    }
}
