//! Bad input fails with one message naming the file and the JSON pointer;
//! `--lenient` skips operations it cannot express and says which.

use generator::lower::Strictness;
use generator::project::{self, Options};

/// Writes `files` into a fresh specs folder and runs the generator on it.
fn generate(files: &[(&str, &str)], strictness: Strictness) -> Result<project::Generated, String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let options = Options {
        strictness,
        ..Options::default()
    };
    project::generate(dir.path(), &options).map_err(|e| {
        // Messages name the file by its full path; keep the part under the specs folder.
        e.to_string()
            .replace(&format!("{}/", dir.path().display()), "")
    })
}

fn fail(name: &str, text: &str) -> String {
    generate(&[(name, text)], Strictness::Strict).expect_err("must fail")
}

const HEAD: &str = r#""openapi": "3.0.1", "info": {"title": "T", "version": "v1"}"#;

fn doc(paths: &str, schemas: &str) -> String {
    format!(
        r#"{{ {HEAD}, "paths": {{ {paths} }}, "components": {{ "schemas": {{ {schemas} }} }} }}"#
    )
}

#[test]
fn malformed_json_and_yaml() {
    let err = fail("v1/a.json", "{\"openapi\": \"3.0.1\",\n  \"info\": ");
    assert!(
        err.starts_with("v1/a.json: not valid JSON: EOF while parsing a value at line 2"),
        "{err}"
    );
    let err = fail("v1/b.yaml", "openapi: 3.0.1\ninfo: [unclosed\n");
    assert!(err.starts_with("v1/b.yaml: not valid YAML:"), "{err}");
}

#[test]
fn other_openapi_versions_are_refused() {
    assert_eq!(
        fail(
            "v1/a.json",
            r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}"#
        ),
        "v1/a.json#/openapi: OpenAPI 3.1.0 is not supported; this generator reads OpenAPI 3.0.x"
    );
    assert_eq!(
        fail(
            "v1/a.yaml",
            "swagger: '2.0'\ninfo: {title: T, version: '1'}\n"
        ),
        "v1/a.yaml#/swagger: Swagger \"2.0\" documents are not supported; convert to OpenAPI 3.0"
    );
}

#[test]
fn structural_errors_name_the_pointer() {
    let text = format!(
        r#"{{ {HEAD}, "paths": {{ "/crm/x": {{ "get": {{ "parameters": 7, "responses": {{}} }} }} }} }}"#
    );
    let err = fail("v1/a.json", &text);
    assert!(
        err.starts_with("v1/a.json#/paths/~1crm~1x/get/parameters: invalid type: integer `7`"),
        "{err}"
    );
}

#[test]
fn dangling_refs() {
    let text = doc(
        "",
        r##""A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Nope"}}}"##,
    );
    assert_eq!(
        fail("v1/a.json", &text),
        "v1/a.json#/components/schemas/A/properties/b: dangling $ref `#/components/schemas/Nope`: no such schema"
    );
    let paths = r##""/crm/x": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Gone"}, "responses": {"204": {"description": "ok"}}}}"##;
    assert_eq!(
        fail("v1/a.json", &doc(paths, "")),
        "v1/a.json#/paths/~1crm~1x/post/requestBody: dangling $ref `#/components/requestBodies/Gone`: no such component"
    );
    let external = doc("", r#""A": {"$ref": "other.json#/components/schemas/B"}"#);
    assert_eq!(
        fail("v1/a.json", &external),
        "v1/a.json#/components/schemas/A: unsupported $ref `other.json#/components/schemas/B`: expected `#/components/schemas/<name>`"
    );
}

#[test]
fn ref_cycles_that_no_type_can_represent() {
    let text = doc(
        "",
        r##""A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}"##,
    );
    assert_eq!(
        fail("v1/a.json", &text),
        "v1/a.json#/components/schemas/A: $ref cycle: this schema is only a reference to itself, which no type can represent"
    );
    let text = doc(
        "",
        r##""A": {"allOf": [{"$ref": "#/components/schemas/A"}]}"##,
    );
    let err = fail("v1/a.json", &text);
    assert!(err.contains("#/components/schemas/A/allOf/0"), "{err}");
    assert!(err.contains("allOf nests too deep"), "{err}");
    // Recursion through a field is fine: it is boxed.
    let text = doc(
        "",
        r##""Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}"##,
    );
    assert!(generate(&[("v1/a.json", &text)], Strictness::Strict).is_ok());
}

const UNSUPPORTED: &str = r#"
  "/crm/ok": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}}},
  "/crm/not": {"post": {"requestBody": {"content": {"application/json": {"schema": {"not": {"type": "string"}}}}},
                         "responses": {"204": {"description": "ok"}}}},
  "/crm/cookie": {"get": {"parameters": [{"name": "session", "in": "cookie", "schema": {"type": "string"}}],
                          "responses": {"204": {"description": "ok"}}}}"#;

#[test]
fn unsupported_constructs_fail_strictly_and_are_skipped_leniently() {
    let text = doc(UNSUPPORTED, "");
    assert_eq!(
        fail("v1/a.json", &text),
        "v1/a.json#/paths/~1crm~1not/post/requestBody/content/application~1json/schema: `not` schemas are not supported"
    );
    let generated = generate(&[("v1/a.json", &text)], Strictness::Lenient).unwrap();
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| {
            w.to_string()
                .replace(&w.location[..w.location.find("v1/").unwrap()], "")
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "skipped v1/a.json#/paths/~1crm~1not/post/requestBody/content/application~1json/schema: `not` schemas are not supported",
            "skipped v1/a.json#/paths/~1crm~1cookie/get/parameters/0: cookie parameters are not supported",
        ]
    );
    let operations: Vec<&str> = generated.versions[0].documents[0]
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(operations, ["list_ok"]);
}

/// A published document with a dangling `$ref` inside a component schema:
/// strictly an error; leniently that schema, the schemas that use it (at any
/// depth) and the operations that use any of them are skipped and named, and
/// the rest generates.
#[test]
fn a_dangling_ref_in_a_schema_skips_what_uses_it_leniently() {
    let text = doc(
        r##""/crm/v1/rows": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}}},
            "/crm/v1/rows/batch": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}}}}},
                                   "responses": {"204": {"description": "ok"}}}},
            "/crm/v1/tables": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}}}}}}"##,
        r##""Page": {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}},
            "Row": {"type": "object", "properties": {"values": {"$ref": "#/components/schemas/RowWrapper"}}},
            "Table": {"type": "object", "properties": {"name": {"type": "string"}}}"##,
    );
    assert_eq!(
        fail("v1/a.json", &text),
        "v1/a.json#/components/schemas/Row/properties/values: dangling $ref `#/components/schemas/RowWrapper`: no such schema"
    );
    let generated = generate(&[("v1/a.json", &text)], Strictness::Lenient).unwrap();
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|w| {
            w.to_string()
                .replace(&w.location[..w.location.find("v1/").unwrap()], "")
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "skipped v1/a.json#/components/schemas/Row/properties/values: dangling $ref `#/components/schemas/RowWrapper`: no such schema",
            "skipped v1/a.json#/components/schemas/Page: uses `Row`, which was skipped",
            // The inline body schema of the batch operation, then the operations.
            "skipped v1/a.json#/paths/~1crm~1v1~1rows~1batch/post/requestBody/content/application~1json/schema: uses `Row`, which was skipped",
            "skipped v1/a.json#/paths/~1crm~1v1~1rows/get: uses `Page`, which was skipped",
            "skipped v1/a.json#/paths/~1crm~1v1~1rows~1batch/post: uses `RowsBatchRequest`, which was skipped",
        ]
    );
    let document = &generated.versions[0].documents[0];
    let operations: Vec<&str> = document
        .operations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(operations, ["list_tables"]);
    let types: Vec<&str> = document.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(types, ["Table"]);
}

#[test]
fn two_keys_named_alike_in_overrides_name_both_endpoints_with_versions_and_documents() {
    let (key_a, path_a, file_a) = ("GET /crm/things", "/crm/v1/things", "v1/a.json");
    let (key_b, path_b, file_b) = (
        "GET /crm/others/{}",
        "/crm/v1/others/{otherId}",
        "v1/b.json",
    );
    let a = doc(
        &format!(r#""{path_a}": {{"get": {{"responses": {{"204": {{"description": "ok"}}}}}}}}"#),
        "",
    );
    let b = doc(
        &format!(
            r#""{path_b}": {{"get": {{"parameters": [{{"name": "otherId", "in": "path", "required": true, "schema": {{"type": "string"}}}}], "responses": {{"204": {{"description": "ok"}}}}}}}}"#
        ),
        "",
    );
    let overrides = format!(
        "[endpoints.\"{key_a}\"]\nname = \"same\"\n[endpoints.\"{key_b}\"]\nname = \"same\"\n"
    );
    let err = generate(
        &[(file_a, &a), (file_b, &b), ("overrides.toml", &overrides)],
        Strictness::Strict,
    )
    .unwrap_err();
    // Both keys (which the advice asks to rename) are different, and each
    // endpoint is named with its path, version and document.
    let expected = format!(
        "overrides.toml: `{key_a}` and `{key_b}` are both named `same`, but \
         `GET {path_a}` (version v1, {file_a}) and `GET {path_b}` (version v1, {file_b}) share one `Api`; \
         give `{key_a}` or `{key_b}` another name in overrides.toml"
    );
    assert_eq!(err, expected);
}

#[test]
fn one_endpoint_under_two_versions_gets_two_names_without_overrides() {
    // Both paths have the key `GET /crm/things`: no override could tell them
    // apart, so the tie-break does, by the version segment.
    let a = doc(
        r#""/crm/v1/things": {"get": {"responses": {"204": {"description": "ok"}}}}"#,
        "",
    );
    let b = doc(
        r#""/crm/things": {"get": {"responses": {"204": {"description": "ok"}}}}"#,
        "",
    );
    let generated = generate(&[("v1/a.json", &a), ("v1/b.json", &b)], Strictness::Strict).unwrap();
    let names: Vec<(&str, &str)> = generated.versions[0]
        .documents
        .iter()
        .flat_map(|d| {
            d.operations
                .iter()
                .map(|o| (o.path.as_str(), o.name.as_str()))
        })
        .collect();
    assert_eq!(
        names,
        [
            ("/crm/v1/things", "list_things_v1"),
            ("/crm/things", "list_things")
        ]
    );
}

/// A paged GET `/crm/v1/things` (so it also gets `list_things_stream`) and
/// an endpoint `/crm/v1/things/stream`.
fn paged_things_and_a_stream_endpoint() -> String {
    doc(
        r##""/crm/v1/things": {"get": {
              "parameters": [{"name": "after", "in": "query", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}}},
           "/crm/v1/things/stream": {"get": {"responses": {"204": {"description": "ok"}}}}"##,
        r#""Page": {"type": "object", "required": ["results"], "properties": {
              "results": {"type": "array", "items": {"type": "string"}},
              "paging": {"type": "object", "properties": {"next": {"type": "object", "properties": {"after": {"type": "string"}}}}}}}"#,
    )
}

#[test]
fn a_derived_method_name_moves_a_default_name_aside() {
    let generated = generate(
        &[("v1/a.json", &paged_things_and_a_stream_endpoint())],
        Strictness::Strict,
    )
    .unwrap();
    let ops = &generated.versions[0].documents[0].operations;
    let names: Vec<(&str, Option<&str>)> = ops
        .iter()
        .map(|o| (o.name.as_str(), o.derived.stream.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("list_things", Some("list_things_stream")),
            ("list_things_stream_2", None)
        ]
    );
}

#[test]
fn a_derived_method_name_given_by_overrides_is_an_error_naming_both() {
    let (paged, other) = ("/crm/v1/things", "/crm/v1/things/stream");
    let key = "GET /crm/things/stream";
    let overrides = format!("[endpoints.\"{key}\"]\nname = \"list_things_stream\"\n");
    let err = generate(
        &[
            ("v1/a.json", &paged_things_and_a_stream_endpoint()),
            ("overrides.toml", &overrides),
        ],
        Strictness::Strict,
    )
    .unwrap_err();
    let expected = format!(
        "v1/a.json: method name `list_things_stream` is used by both `GET {paged}` (version v1, v1/a.json) \
         and `GET {other}` (version v1, v1/a.json); give `GET /crm/things` or `{key}` a name in overrides.toml"
    );
    assert_eq!(err, expected);
}

#[test]
fn a_tree_with_nested_folders_and_spaces_gives_one_module_per_document() {
    let small = doc(
        r#""/crm/x": {"get": {"responses": {"204": {"description": "ok"}}}}"#,
        "",
    );
    let generated = generate(
        &[
            ("2027-03/deep/er/My Spec.json", &small),
            (
                "2027-03/other.yaml",
                "openapi: 3.0.1\ninfo: {title: O, version: '2027-03'}\npaths: {}\n",
            ),
            ("beta tools/x.json", &small),
            ("top.json", &small),
        ],
        Strictness::Strict,
    )
    .unwrap();
    let modules: Vec<String> = generated
        .versions
        .iter()
        .flat_map(|v| {
            v.documents
                .iter()
                .map(move |d| format!("{}::{}", v.module, d.module))
        })
        .collect();
    assert_eq!(
        modules,
        [
            "beta_tools::x",
            "top::top",
            "v2027_03::deep_er_my_spec",
            "v2027_03::other"
        ]
    );
    assert!(
        generated
            .files
            .contains_key("src/v2027_03/deep_er_my_spec/models.rs")
    );
    assert!(
        generated
            .files
            .contains_key("src/beta_tools/x/operations.rs")
    );
}

#[test]
fn a_quirk_without_its_source_is_one_error_naming_the_entry() {
    let small = doc(
        r#""/crm/x": {"get": {"responses": {"204": {"description": "ok"}}}}"#,
        "",
    );
    let overrides =
        "[[quirks]]\nkind = \"number-for-string\"\nschema = \"Pair\"\nfield = \"toObjectId\"\n";
    let err = generate(
        &[("v1/a.json", &small), ("overrides.toml", overrides)],
        Strictness::Strict,
    )
    .unwrap_err();
    assert_eq!(
        err,
        "overrides.toml: quirks[0] (number-for-string for versions `*`, schema `Pair`, \
         field `toObjectId`) has no `source`: give the public report's URL"
    );
}

#[test]
fn a_quirk_that_selects_no_field_in_any_version_is_one_error_naming_the_entry() {
    let pair = doc(
        r##""/pairs": {"get": {"responses": {"200": {"description": "ok", "content":
            {"application/json": {"schema": {"$ref": "#/components/schemas/Pair"}}}}}}}"##,
        r#""Pair": {"type": "object", "properties": {"toObjectId": {"type": "string"}}}"#,
    );
    let entry = |versions: &str, schema: &str, field: &str| {
        format!(
            "[[quirks]]\nkind = \"number-for-string\"\nsource = \"https://a.example/1\"\n\
             versions = \"{versions}\"\nschema = \"{schema}\"\nfield = \"{field}\"\n"
        )
    };
    // Selecting the field, in some version: fine.
    let fine = entry("v*", "Pair", "toObjectId") + &entry("*", "*", "*");
    generate(
        &[
            ("v1/a.json", &pair),
            ("v2/a.json", &pair),
            ("overrides.toml", &fine),
        ],
        Strictness::Strict,
    )
    .unwrap();
    for (versions, schema, field) in [
        ("v3", "Pair", "toObjectId"),
        ("*", "Piar", "toObjectId"),
        ("*", "Pair", "toObjectID"),
    ] {
        let overrides = entry("*", "*", "*") + &entry(versions, schema, field);
        let err = generate(
            &[
                ("v1/a.json", &pair),
                ("v2/a.json", &pair),
                ("overrides.toml", &overrides),
            ],
            Strictness::Strict,
        )
        .unwrap_err();
        assert_eq!(
            err,
            format!(
                "overrides.toml: quirks[1] (number-for-string for versions `{versions}`, \
                 schema `{schema}`, field `{field}`) selects no field in any version: \
                 check its `versions`, `schema` and `field`"
            )
        );
    }
}

#[test]
fn a_version_folder_named_like_a_crate_feature_or_item_is_one_error() {
    let small = doc(
        r#""/crm/x": {"get": {"responses": {"204": {"description": "ok"}}}}"#,
        "",
    );
    for folder in ["tracing", "gzip", "default", "runtime"] {
        let err =
            generate(&[(&format!("{folder}/a.json"), &small)], Strictness::Strict).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "{folder}: version folder `{folder}` becomes feature"
            )),
            "{err}"
        );
    }
    // A dated folder is fine.
    generate(&[("2026-03/a.json", &small)], Strictness::Strict).unwrap();
}
