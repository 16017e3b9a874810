//! The code generated for every OpenAPI construct HubSpot uses (test specs
//! in generator/tests/fixtures/constructs) shapes JSON as the document says.

use constructs_client::ConstructsExt as _;
use constructs_client::v1::{media, shapes};
use constructs_client::{Client, Error, runtime::Multipart, runtime::RawBody};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, header_regex, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn discriminated_one_of_picks_by_tag_and_keeps_unknown_tags() {
    let circle: shapes::Shape =
        serde_json::from_value(json!({"kind": "circle", "id": "c1", "radius": 2.5})).unwrap();
    let shapes::Shape::Circle(circle) = circle else {
        panic!("{circle:?}")
    };
    assert_eq!(circle.radius, 2.5);
    assert_eq!(
        circle.kind, "circle",
        "the tag stays a field of the variant"
    );

    let square: shapes::Shape =
        serde_json::from_value(json!({"kind": "square", "id": "s1", "side": 3})).unwrap();
    assert!(matches!(square, shapes::Shape::Square(ref s) if s.side == 3));
    // `note` is required and nullable: always sent, as null when unset.
    assert_eq!(
        serde_json::to_value(&square).unwrap(),
        json!({"kind": "square", "id": "s1", "note": null, "side": 3})
    );

    let hexagon = json!({"kind": "hexagon", "id": "h1", "sides": 6});
    let decoded: shapes::Shape = serde_json::from_value(hexagon.clone()).unwrap();
    assert_eq!(decoded, shapes::Shape::Other(hexagon.clone()));
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        hexagon,
        "round-trips unchanged"
    );

    // A known tag with a body that does not fit is an error, not a silent Other.
    assert!(serde_json::from_value::<shapes::Shape>(json!({"kind": "circle", "id": "c"})).is_err());
}

#[test]
fn all_of_merges_fields_and_formats_decode() {
    let circle: shapes::Circle = serde_json::from_value(json!({
        "kind": "circle", "id": "0f8fad5b-d9cb-469f-a165-70867728950e", "radius": 1.0,
        "createdOn": "2026-03-04", "note": null, "legacyCode": "L1"
    }))
    .unwrap();
    assert_eq!(circle.created_on, constructs_client::Date::new(2026, 3, 4));
    assert_eq!(circle.note, None);
    #[allow(deprecated)]
    let legacy = circle.legacy_code.as_deref();
    assert_eq!(legacy, Some("L1"));
}

#[test]
fn any_of_tries_alternatives_in_order() {
    let text: shapes::Value = serde_json::from_value(json!("hello")).unwrap();
    assert_eq!(text, shapes::Value::String("hello".into()));
    let number: shapes::Value = serde_json::from_value(json!(42)).unwrap();
    assert_eq!(number, shapes::Value::Integer(42));
    let shape: shapes::Value =
        serde_json::from_value(json!({"kind": "square", "id": "s", "side": 1})).unwrap();
    assert!(matches!(
        shape,
        shapes::Value::Shape(shapes::Shape::Square(_))
    ));
    // `Shape` is itself open, so it takes what nothing before it does:
    // nothing is lost, and the nesting says where it was tried.
    let other: shapes::Value = serde_json::from_value(json!([1, 2])).unwrap();
    assert_eq!(
        other,
        shapes::Value::Shape(shapes::Shape::Other(json!([1, 2])))
    );
}

#[test]
fn recursive_schemas_decode_at_depth() {
    let tree: shapes::TreeNode = serde_json::from_value(json!({
        "name": "leaf", "parent": {"name": "mid", "parent": {"name": "root"}},
        "children": [{"name": "a", "children": [{"name": "b"}]}]
    }))
    .unwrap();
    assert_eq!(
        tree.parent.as_ref().unwrap().parent.as_ref().unwrap().name,
        "root"
    );
    assert_eq!(
        tree.children.as_ref().unwrap()[0]
            .children
            .as_ref()
            .unwrap()[0]
            .name,
        "b"
    );
    let built = shapes::TreeNode::new("x").with_parent(shapes::TreeNode::new("p"));
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        json!({"name": "x", "parent": {"name": "p"}})
    );
}

#[test]
fn awkward_names_keep_their_wire_spelling() {
    let body = json!({"type": "t", "1st": true, "self": 7, "in": "query", "kebab-case-name": "k",
                      "mode": "FAST_MODE", "labels": {"a": ["x", "y"]}, "anything": {"deep": [null]}});
    let decoded: shapes::Awkward = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.r#type, "t");
    assert!(decoded.n1st);
    assert_eq!(decoded.self_, Some(7));
    assert_eq!(decoded.r#in.as_deref(), Some("query"));
    assert_eq!(
        decoded.mode,
        Some(shapes::Mode::FastMode2),
        "FAST_MODE and fast-mode stay distinct"
    );
    assert_eq!(decoded.labels.as_ref().unwrap()["a"], ["x", "y"]);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
    for (value, variant) in [
        ("fast-mode", shapes::Mode::FastMode),
        ("", shapes::Mode::Empty),
        ("Unknown", shapes::Mode::UnknownValue),
    ] {
        assert_eq!(
            serde_json::from_value::<shapes::Mode>(json!(value)).unwrap(),
            variant
        );
        assert_eq!(variant.as_str(), value);
    }
    // Schemas whose names collide after case conversion all exist.
    let _ = (shapes::Foo::new(), shapes::Foo2::new(), shapes::Foo1::new());
}

fn client(server: &MockServer) -> Client {
    Client::builder("t")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn parameters_of_every_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/shapes/42"))
        .and(query_param("fields", "a,b"))
        .and(query_param("archived", "true"))
        .and(header("x-trace", "abc"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"kind": "square", "id": "s", "side": 4})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let params = shapes::GetShapeParams::new()
        .with_kinds(vec![shapes::KindsItem::Circle, shapes::KindsItem::Square])
        .with_fields(vec!["a".to_owned(), "b".to_owned()])
        .with_archived(true)
        .with_x_trace("abc");
    let shape = client(&server)
        .constructs()
        .v1()
        .get_shape(42, &params)
        .await
        .unwrap();
    assert!(matches!(shape, shapes::Shape::Square(ref s) if s.side == 4));
    let request = &server.received_requests().await.unwrap()[0];
    let kinds: Vec<String> = request
        .url
        .query_pairs()
        .filter(|(k, _)| k == "kinds")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(kinds, ["circle", "square"], "explode: one pair per value");

    // A header value that would start a new header line is refused, unsent.
    let injected = shapes::GetShapeParams::new().with_x_trace("abc\r\nx-evil: 1");
    let err = client(&server)
        .constructs()
        .v1()
        .get_shape(42, &injected)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                operation: "get_shape",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// An untagged union an alternative of which holds the union again: the
/// boxed variant decodes at every depth and encodes back the same.
#[test]
fn recursive_untagged_union_round_trips() {
    let body = json!({"items": {"items": {"maxLength": 3}}});
    let decoded: shapes::FieldSchema = serde_json::from_value(body.clone()).unwrap();
    let shapes::FieldSchema::ListField(outer) = &decoded else {
        panic!("{decoded:?}")
    };
    let shapes::FieldSchema::ListField(inner) = outer.items.as_ref() else {
        panic!("{decoded:?}")
    };
    assert!(matches!(
        inner.items.as_ref(),
        shapes::FieldSchema::TextField(t) if t.max_length == 3
    ));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

/// Object-valued query parameters: HubSpot's `property.{propname}` (form,
/// exploded, keys fill the placeholder), `deepObject`, form not exploded,
/// and form exploded with named fields.
#[tokio::test]
async fn object_valued_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/shapes/search"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let params = shapes::ListShapesSearchParams::new(shapes::Point::new(1, -2))
        .with_property_propname(
            [("size", "big"), ("color", "red & blue")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        )
        .with_filter(
            shapes::ShapeFilter::new()
                .with_min_side(3)
                .with_tags(vec!["a".to_owned(), "b".to_owned()]),
        )
        .with_bounds([("w".to_owned(), 10), ("h".to_owned(), 5)].into());
    client(&server)
        .constructs()
        .v1()
        .list_shapes_search(&params)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected = [
        ("property.color", "red & blue"),
        ("property.size", "big"),
        // `color` is unset: left out, not sent empty.
        ("filter[minSide]", "3"),
        ("filter[tags]", "a"),
        ("filter[tags]", "b"),
        ("bounds", "h,5,w,10"),
        ("x", "1"),
        ("y", "-2"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(pairs, expected);
}

#[tokio::test]
async fn request_and_response_media_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/crm/v1/tokens"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        // Form fields in any order; values percent-encoded, arrays repeated.
        .and(|request: &wiremock::Request| {
            let body = std::str::from_utf8(&request.body).unwrap_or_default();
            let mut pairs: Vec<&str> = body.split('&').collect();
            pairs.sort_unstable();
            pairs
                == [
                    "code=a%20b%26c",
                    "grant_type=authorization_code",
                    "scopes=crm.read",
                    "scopes=crm.write",
                ]
        })
        .respond_with(ResponseTemplate::new(200).set_body_raw("tok-123", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/crm/v1/files/f1/content"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_string("raw bytes"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/exports/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id,name\n1,a\n", "text/csv"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/exports/e2"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/exports/e1/excel"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vec![0xD0, 0xCF, 0x11, 0xE0], "application/vnd.ms-excel"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v1/files"))
        .and(header_regex(
            "content-type",
            "^multipart/form-data; boundary=",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "f9"})))
        .mount(&server)
        .await;

    Mock::given(method("POST"))
        .and(path("/crm/v1/notes"))
        .and(header("content-type", "application/json"))
        .and(wiremock::matchers::body_json(json!({"text": "hi"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let api = client(&server).constructs().v1();
    api.create_notes(&media::CreateNotesRequest::new("hi"))
        .await
        .unwrap();
    let form = media::CreateTokensRequest::new("authorization_code")
        .with_code("a b&c")
        .with_scopes(vec!["crm.read".to_owned(), "crm.write".to_owned()]);
    assert_eq!(api.create_tokens(&form).await.unwrap(), "tok-123");
    api.replace_file_content("f1", RawBody::new("application/octet-stream", "raw bytes"))
        .await
        .unwrap();
    // A content type that would add a header line is refused, unsent.
    let smuggled = RawBody::new("text/plain\r\ntransfer-encoding: chunked", "x");
    let err = api.replace_file_content("f1", smuggled).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(
        api.get_export("e1").await.unwrap(),
        media::GetExportResponse::Ok("id,name\n1,a\n".into())
    );
    assert_eq!(
        api.get_export("e2").await.unwrap(),
        media::GetExportResponse::Accepted
    );
    assert_eq!(
        api.list_export_excel("e1").await.unwrap(),
        [0xD0, 0xCF, 0x11, 0xE0]
    );

    let upload = Multipart::new()
        .text("folder", "reports")
        .file("file", "a.csv", "text/csv", "x,y\n");
    assert_eq!(
        api.create_files(upload).await.unwrap().id.as_deref(),
        Some("f9")
    );
    let requests = server.received_requests().await.unwrap();
    let sent = requests
        .iter()
        .find(|r| r.url.path() == "/crm/v1/files")
        .unwrap();
    let content_type = sent
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = String::from_utf8(sent.body.clone()).unwrap();
    assert_eq!(
        body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"folder\"\r\n\r\nreports\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nx,y\n\r\n\
             --{boundary}--\r\n"
        )
    );
}

#[tokio::test]
async fn deprecated_operations_still_work_and_enum_path_parameters_encode() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/crm/v1/shapes/7"))
        .and(body_json(
            json!({"kind": "square", "id": "s", "note": null, "side": 2}),
        ))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({"jobId": "0f8fad5b-d9cb-469f-a165-70867728950e"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/labs/items/b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let c = client(&server);
    let shape = shapes::Shape::Square(shapes::Square::new("square", "s", 2));
    #[allow(deprecated)]
    let accepted = c.constructs().v1().replace_shape(7, &shape).await.unwrap();
    assert_eq!(accepted.job_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
    let item = c
        .constructs()
        .labs()
        .list_items(&constructs_client::labs::nested_folder_odd_names::Type::B)
        .await
        .unwrap();
    assert_eq!(item.ok, Some(true));
}

#[tokio::test]
async fn an_undocumented_2xx_without_one_success_to_read_it_as_names_the_documented_ones() {
    // get_exports documents 200 (text/csv) and 202 (no body): two kinds of
    // success, so a 201 cannot be read as either.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/crm/v1/exports/e3"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("id\n1\n", "text/csv"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .constructs()
        .v1()
        .get_export("e3")
        .await
        .unwrap_err();
    let Error::Decode {
        status, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 201);
    assert_eq!(
        message,
        "HTTP 201 is not a status the document lists (200, 202), and the operation has more than one kind of success to read it as"
    );
}
