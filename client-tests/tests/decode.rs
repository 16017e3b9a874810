//! The generated models decode realistic HubSpot bodies (shapes from
//! HubSpot's docs) and keep what they do not know.

use hubspot_associations::v2026_03::associations as assoc;
use hubspot_associations::v2026_03::associations_schema as schema;
use serde_json::json;

#[test]
fn batch_read_200_decodes_every_association() {
    let body = json!({
        "status": "COMPLETE",
        "results": [{
            "from": {"id": "101"},
            "to": [
                {"toObjectId": "201", "associationTypes": [
                    {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"},
                    {"category": "USER_DEFINED", "typeId": 57, "label": null}
                ]},
                {"toObjectId": "202", "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 279}]}
            ],
            "paging": {"next": {"after": "MjAy", "link": "?after=MjAy"}}
        }],
        "startedAt": "2026-03-04T10:15:30.120Z",
        "completedAt": "2026-03-04T10:15:30.480Z",
        "requestedAt": "2026-03-04T10:15:30Z"
    });
    let decoded: assoc::BatchResponsePublicAssociationMultiWithLabel =
        serde_json::from_value(body).unwrap();
    assert_eq!(decoded.status, assoc::Status::Complete);
    assert_eq!(decoded.results.len(), 1);
    let first = &decoded.results[0];
    assert_eq!(first.from.id, "101");
    assert_eq!(
        first
            .to
            .iter()
            .map(|t| t.to_object_id.as_str())
            .collect::<Vec<_>>(),
        ["201", "202"]
    );
    assert_eq!(
        first.to[0].association_types[1].category,
        assoc::Category::UserDefined
    );
    assert_eq!(first.to[0].association_types[1].label, None);
    assert_eq!(
        first.paging.as_ref().unwrap().next.as_ref().unwrap().after,
        Some("MjAy".to_owned())
    );
    assert_eq!(decoded.completed_at.to_string(), "2026-03-04T10:15:30.48Z");
}

#[test]
fn batch_read_207_keeps_per_item_errors() {
    let body = json!({
        "status": "COMPLETE",
        "results": [{"from": {"id": "101"}, "to": []}],
        "numErrors": 1,
        "errors": [{
            "status": "error",
            "category": "OBJECT_NOT_FOUND",
            "message": "No contact with id 999",
            "context": {"ids": ["999"]},
            "errors": [],
            "links": {}
        }],
        "startedAt": "2026-03-04T10:15:30Z",
        "completedAt": "2026-03-04T10:15:31Z"
    });
    let decoded: assoc::BatchResponsePublicAssociationMultiWithLabelWithErrors =
        serde_json::from_value(body).unwrap();
    assert_eq!(decoded.num_errors, Some(1));
    let errors = decoded.errors.unwrap();
    assert_eq!(errors[0].category.as_deref(), Some("OBJECT_NOT_FOUND"));
    assert_eq!(errors[0].context["ids"], ["999"]);
}

#[test]
fn batch_create_201_and_207() {
    let created = json!({
        "status": "COMPLETE",
        "results": [{"fromObjectTypeId": "0-1", "fromObjectId": "101", "toObjectTypeId": "0-2",
                     "toObjectId": "201", "labels": ["Manager"]}],
        "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"
    });
    let decoded: assoc::BatchResponseLabelsBetweenObjectPair =
        serde_json::from_value(created).unwrap();
    assert_eq!(decoded.results[0].labels, ["Manager"]);

    let partial = json!({
        "status": "COMPLETE", "results": [], "numErrors": 2,
        "errors": [
            {"status": "error", "category": "VALIDATION_ERROR", "message": "bad type", "context": {}, "errors": [], "links": {}},
            {"status": "error", "category": "OBJECT_NOT_FOUND", "message": "gone", "context": {}, "errors": [], "links": {},
             "subCategory": {"reason": "deleted"}}
        ],
        "startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"
    });
    let decoded: assoc::BatchResponseLabelsBetweenObjectPairWithErrors =
        serde_json::from_value(partial).unwrap();
    let errors = decoded.errors.unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[1].sub_category.as_ref().unwrap()["reason"],
        "deleted"
    );
}

#[test]
fn list_page_exposes_the_next_cursor() {
    let body = json!({
        "results": [
            {"toObjectId": "201", "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 1, "label": null}]},
            {"toObjectId": "202", "associationTypes": []}
        ],
        "paging": {"next": {"after": "Mg%3D%3D", "link": "https://api.hubapi.com/crm/objects/2026-03/contacts/101/associations/companies?after=Mg%3D%3D"}}
    });
    let page: assoc::CollectionResponseMultiAssociatedObjectWithLabelForwardPaging =
        serde_json::from_value(body).unwrap();
    assert_eq!(page.results.len(), 2);
    assert_eq!(
        page.paging.unwrap().next.unwrap().after.as_deref(),
        Some("Mg%3D%3D")
    );
}

#[test]
fn unknown_enum_values_decode_and_round_trip() {
    let body = json!({"category": "PARTNER_DEFINED", "typeId": 9, "label": "Reseller", "futureField": {"x": 1}});
    let decoded: assoc::AssociationSpecWithLabel = serde_json::from_value(body).unwrap();
    assert_eq!(
        decoded.category,
        assoc::Category::Unknown("PARTNER_DEFINED".into())
    );
    assert_eq!(decoded.category.as_str(), "PARTNER_DEFINED");
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        encoded,
        json!({"category": "PARTNER_DEFINED", "typeId": 9, "label": "Reseller"})
    );

    let status: assoc::Status = serde_json::from_value(json!("CANCELLED")).unwrap();
    assert_eq!(status, assoc::Status::Unknown("CANCELLED".into()));
    let known: assoc::Status = serde_json::from_value(json!("CANCELED")).unwrap();
    assert_eq!(known, assoc::Status::Canceled);
}

#[test]
fn requests_encode_required_fields_and_skip_unset_ones() {
    let input = assoc::BatchInputPublicFetchAssociationsBatchRequest::new(vec![
        assoc::PublicFetchAssociationsBatchRequest::new("101"),
        assoc::PublicFetchAssociationsBatchRequest::new("102").with_after("MjAy"),
    ]);
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"inputs": [{"id": "101"}, {"id": "102", "after": "MjAy"}]})
    );
    let label = schema::PublicAssociationDefinitionCreateRequest::new("Manager", "manager");
    assert_eq!(
        serde_json::to_value(&label).unwrap(),
        json!({"label": "Manager", "name": "manager"})
    );
}

#[test]
fn date_time_and_free_form_fields() {
    let body = json!({
        "status": "PROCESSING",
        "results": [{"anything": [1, 2]}, null],
        "startedAt": "2026-03-04T10:15:30+01:00",
        "completedAt": "2026-03-04T09:15:31Z",
        "links": {"self": "https://example.invalid"}
    });
    let decoded: schema::BatchResponse = serde_json::from_value(body).unwrap();
    assert_eq!(decoded.status, schema::Status::Processing);
    assert_eq!(decoded.results[0]["anything"][1], 2);
    assert_eq!(
        decoded.started_at.as_second(),
        decoded.completed_at.as_second() - 1
    );
    assert_eq!(decoded.links.unwrap()["self"], "https://example.invalid");

    // With the `jiff` feature, the date types convert both ways.
    let started = jiff::Timestamp::try_from(decoded.started_at).unwrap();
    assert_eq!(started.to_string(), "2026-03-04T09:15:30Z");
    let back = hubspot_associations::Timestamp::try_from(started).unwrap();
    assert_eq!(back, decoded.started_at);
    let before_epoch: jiff::Timestamp = "1969-12-31T23:59:59.25Z".parse().unwrap();
    let converted = hubspot_associations::Timestamp::try_from(before_epoch).unwrap();
    assert_eq!(converted.to_string(), "1969-12-31T23:59:59.25Z");
    let date = hubspot_associations::Date::new(2024, 2, 29).unwrap();
    assert_eq!(
        jiff::civil::Date::from(date),
        jiff::civil::date(2024, 2, 29)
    );
    let last: hubspot_associations::Timestamp = "9999-12-31T23:00:00Z".parse().unwrap();
    assert!(
        jiff::Timestamp::try_from(last).is_err(),
        "past jiff's range"
    );
    let far = jiff::civil::date(-5, 1, 1);
    assert!(hubspot_associations::Date::try_from(far).is_err());
}

/// The models' (de)serialization is written out by the generator instead of
/// derived; it keeps serde_derive's rules.
#[test]
fn written_out_codecs_follow_serde_derive_rules() {
    type Spec = assoc::AssociationSpecWithLabel;
    type Target = assoc::MultiAssociatedObjectWithLabel;

    // Unknown keys are skipped, whatever their value; escaped keys still match.
    let spec: Spec = serde_json::from_str(
        r#"{"extra": {"deep": [1, {"x": null}]}, "category": "USER_DEFINED", "type\u0049d": 5, "label": null}"#,
    )
    .unwrap();
    assert_eq!(spec.type_id, 5);
    assert_eq!(spec.label, None);

    // Missing required field, duplicate key, wrong type: serde's own messages.
    let missing = serde_json::from_str::<Target>(r#"{"associationTypes": []}"#).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "missing field `toObjectId` at line 1 column 24"
    );
    let twice =
        serde_json::from_str::<Spec>(r#"{"category": "X", "typeId": 1, "typeId": 2}"#).unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `typeId`"),
        "{twice}"
    );
    let not_object = serde_json::from_str::<Spec>("[1]").unwrap_err();
    assert!(
        not_object
            .to_string()
            .contains("expected struct AssociationSpecWithLabel"),
        "{not_object}"
    );
    let path =
        serde_path_to_error::deserialize::<_, Target>(&mut serde_json::Deserializer::from_str(
            r#"{"toObjectId": "1", "associationTypes": [{"category": "X", "typeId": "one"}]}"#,
        ))
        .unwrap_err();
    assert_eq!(path.path().to_string(), "associationTypes[0].typeId");

    // Unset optional fields are left out; required ones always written.
    let encoded = serde_json::to_string(&Spec::new(assoc::Category::HubspotDefined, 1)).unwrap();
    assert_eq!(encoded, r#"{"category":"HUBSPOT_DEFINED","typeId":1}"#);
    let labelled = Spec::new(assoc::Category::UserDefined, 2).with_label("Boss");
    let round: Spec = serde_json::from_str(&serde_json::to_string(&labelled).unwrap()).unwrap();
    assert_eq!(round, labelled);
}
