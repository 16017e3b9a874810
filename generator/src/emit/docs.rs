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
