//! Paths → IR operations.

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};

use super::schema::SchemaRef;
use super::{LowerOptions, Lowerer, Strictness, Warning};
use crate::error::{Error, Result, pointer_token};
use crate::ir::{
    Batch, BatchMerge, Body, BodyKind, HttpMethod, Operation, Paging, PagingOptional, Param,
    ParamLocation, QueryStyle, RateLimitClass, ResponseBody, RetrySafety, SuccessResponse, Type,
    TypeKind,
};
use crate::naming;

impl Lowerer<'_> {
    pub(super) fn lower_operations(
        &mut self,
        options: &LowerOptions<'_>,
    ) -> Result<(Vec<Operation>, Vec<Warning>)> {
        let spec = self.spec;
        let mut operations: Vec<Operation> = Vec::new();
        let mut warnings = Vec::new();
        for (path, item) in &spec.paths.paths {
            let item_pointer = format!("/paths/{}", pointer_token(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.error(&item_pointer, "path item $refs are not supported"));
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{item_pointer}/{method}");
                match self.lower_operation(path, method, item, op, &pointer, options) {
                    Ok(op) => operations.push(op),
                    Err(Error::Spec {
                        pointer, message, ..
                    }) if options.strictness == Strictness::Lenient => {
                        warnings.push(Warning {
                            location: format!("{}#{pointer}", self.path.display()),
                            message,
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok((operations, warnings))
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
        pointer: &str,
        options: &LowerOptions<'_>,
    ) -> Result<Operation> {
        let method =
            parse_method(method).ok_or_else(|| self.error(pointer, "unknown HTTP method"))?;
        let endpoint = naming::endpoint_key(method, path, &self.spec.info.version);
        // Names come from naming for the whole version; a caller that named
        // another set of documents still gets this endpoint's own name.
        let name = self.method_names.get(&(method, path.to_owned())).cloned();
        let name = name.unwrap_or_else(|| {
            options
                .overrides
                .name_for(&endpoint)
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    naming::default_operation_name(method, path, &self.spec.info.version)
                })
        });
        let hint = naming::type_ident(&name);

        let (mut path_params, mut query_params, mut header_params) =
            (Vec::new(), Vec::new(), Vec::new());
        let all_params = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("/paths/{}/parameters/{i}", pointer_token(path)), p))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (p_pointer, param) in all_params {
            let param = self.resolve(param, "parameters", |c| &c.parameters, &p_pointer)?;
            // Where it goes; for the query, OpenAPI's style and explode.
            let (data, place) = match param {
                Parameter::Path { parameter_data, .. } => (parameter_data, Place::Path),
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => (
                    parameter_data,
                    Place::Query {
                        deep_object: matches!(style, openapiv3::QueryStyle::DeepObject),
                        // `style: form` explodes unless told not to.
                        explode: parameter_data.explode.unwrap_or(true),
                    },
                ),
                Parameter::Header { parameter_data, .. } => (parameter_data, Place::Header),
                Parameter::Cookie { .. } => {
                    return Err(self.error(&p_pointer, "cookie parameters are not supported"));
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(self.error(&p_pointer, "parameters with `content` are not supported"));
            };
            let schema_pointer = format!("{p_pointer}/schema");
            let mut ty = self.schema_type(
                SchemaRef::from(schema),
                &schema_pointer,
                &format!("{hint}::{}", naming::type_ident(&data.name)),
            )?;
            let object = match &ty {
                Type::Json | Type::Map(_) => true,
                Type::Named(n) => !self.is_enum(n),
                _ => false,
            };
            let array = matches!(ty, Type::Vec(_));
            let location = match (place, object) {
                // In the query, an object's fields become keys (OpenAPI
                // `style: form` or `deepObject`).
                (
                    Place::Query {
                        deep_object,
                        explode,
                    },
                    true,
                ) if self.is_query_object(&ty) => {
                    // A free-form object in the query is text keys to text values.
                    if ty == Type::Json {
                        ty = Type::Map(Box::new(Type::String));
                    }
                    ParamLocation::Query(match (deep_object, explode) {
                        (true, _) => QueryStyle::DeepObject,
                        (false, true) => QueryStyle::Object,
                        (false, false) => QueryStyle::ObjectJoined,
                    })
                }
                (_, true) => {
                    return Err(self.error(
                        &schema_pointer,
                        "object-valued path and header parameters (and query parameters that are not objects of named fields or free-form) are not supported",
                    ));
                }
                (Place::Path | Place::Header, false) if array => {
                    return Err(self.error(
                        &schema_pointer,
                        "array-valued path and header parameters are not supported",
                    ));
                }
                (Place::Query { explode: false, .. }, false) if array => {
                    ParamLocation::Query(QueryStyle::CommaJoined)
                }
                (Place::Query { .. }, false) => ParamLocation::Query(QueryStyle::Form),
                (Place::Path, false) => ParamLocation::Path,
                (Place::Header, false) => ParamLocation::Header,
            };
            let default = match schema {
                ReferenceOr::Item(s) => s.schema_data.default.as_ref().map(|d| d.to_string()),
                ReferenceOr::Reference { .. } => None,
            };
            let param = Param {
                name: naming::snake_ident(&data.name),
                // Set below, once the names are final.
                setter: None,
                arg: crate::ir::ArgKind::of(&ty, &data.name),
                wire_name: data.name.clone(),
                ty,
                required: data.required || location == ParamLocation::Path,
                location,
                default,
                doc: data.description.clone().filter(|d| !d.trim().is_empty()),
            };
            let list = match location {
                ParamLocation::Path => &mut path_params,
                ParamLocation::Query(_) => &mut query_params,
                ParamLocation::Header => &mut header_params,
            };
            // Operation-level parameters override path-level ones of the same name.
            list.retain(|p: &Param| p.wire_name != param.wire_name);
            list.push(param);
        }
        name_struct_params(&mut query_params, &mut header_params);
        let path_params = self.order_path_params(path, path_params, pointer)?;

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let b_pointer = format!("{pointer}/requestBody");
                let body =
                    self.resolve(body, "requestBodies", |c| &c.request_bodies, &b_pointer)?;
                Some(self.lower_body(body, &b_pointer, &hint)?)
            }
        };

        let mut responses = Vec::new();
        for (status, response) in &op.responses.responses {
            let status = match status {
                StatusCode::Code(code @ 200..=299) => *code,
                StatusCode::Range(2) => 200,
                _ => continue,
            };
            let r_pointer = format!("{pointer}/responses/{status}");
            let response = self.resolve(response, "responses", |c| &c.responses, &r_pointer)?;
            let variant = naming::status_variant(status);
            let body =
                self.lower_response_body(response, &r_pointer, &format!("{hint}{variant}Body"))?;
            responses.push(SuccessResponse {
                status,
                variant,
                body,
                keeps_undecoded: false,
                also_multi_status: false,
                doc: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
            });
        }
        self.note_error_responses(op);
        if responses.is_empty() {
            responses.push(SuccessResponse {
                status: 200,
                variant: "Ok".into(),
                body: ResponseBody::Empty,
                keeps_undecoded: false,
                also_multi_status: false,
                doc: None,
            });
        }

        let rate_limit_exempt = op
            .extensions
            .get("x-hubspot-rate-limit-exemptions")
            .and_then(|v| v.as_array())
            .is_some_and(|list| list.iter().any(|v| v.as_str() == Some("ten-secondly")));
        let inputs = match &body {
            Some(Body {
                kind: BodyKind::Json(Type::Named(n)),
                ..
            }) => self.inputs_list(n).map(|f| (n, f.name.clone())),
            _ => None,
        };
        let batch = inputs.map(|(n, inputs_field)| Batch {
            limit: options.overrides.batch_limit_for(&endpoint),
            inputs_field,
            per_input_cursors: self.per_input_cursors(n, &responses),
            merge: self.batch_merge(&responses),
        });
        let paging = self.paging(&query_params, &responses);
        let params_type = (!query_params.is_empty() || !header_params.is_empty())
            .then(|| self.fresh_type_name(&naming::params_type_hint(&hint)));
        let response_enum =
            (responses.len() > 1).then(|| self.fresh_type_name(&naming::response_enum_hint(&hint)));

        let derived = naming::derived_methods(
            &name,
            batch.as_ref().is_some_and(|b| b.per_input_cursors),
            paging.is_some() && body.is_none() && params_type.is_some(),
        );
        let undocumented_2xx_as = undocumented_2xx_as(&responses);

        let retry = RetrySafety::of(method, options.overrides.read_only(&endpoint));
        let rate_class = RateLimitClass::of(method, path, options.overrides.rate_limit(&endpoint));
        Ok(Operation {
            name,
            endpoint,
            method,
            path: path.to_owned(),
            summary: op
                .summary
                .clone()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            description: op.description.clone().filter(|d| !d.trim().is_empty()),
            deprecated: op.deprecated,
            path_params,
            query_params,
            header_params,
            body,
            responses,
            rate_limit_exempt,
            retry,
            rate_class,
            batch,
            paging,
            params_type,
            response_enum,
            undocumented_2xx_as,
            derived,
            // Named last, by `inputs::apply`, so it never takes a name a
            // type of the document needs.
            input_alias: None,
        })
    }

    /// How a split call's answers merge: by the documented full success
    /// (the first non-207), whether a 207 is documented, and whether the
    /// success type has an `errors` list.
    fn batch_merge(&self, responses: &[SuccessResponse]) -> BatchMerge {
        let Some(ok) = responses
            .iter()
            .find(|r| r.status != 207)
            .or(responses.first())
        else {
            return BatchMerge::AllOrError {
                ok: 200,
                json: false,
            };
        };
        let ResponseBody::Json(ty) = &ok.body else {
            return BatchMerge::AllOrError {
                ok: ok.status,
                json: false,
            };
        };
        let multi_status = responses
            .iter()
            .any(|r| r.status == 207 && matches!(r.body, ResponseBody::Json(_)));
        if multi_status && ok.status != 207 {
            return BatchMerge::MultiStatus { ok: ok.status };
        }
        let errors_list = match ty {
            Type::Named(t) => self.field(t, "errors").is_some(),
            _ => false,
        };
        if errors_list {
            BatchMerge::ErrorsList { ok: ok.status }
        } else {
            BatchMerge::AllOrError {
                ok: ok.status,
                json: true,
            }
        }
    }

    /// Documents list path parameters alphabetically; callers want path order.
    fn order_path_params(
        &self,
        path: &str,
        mut params: Vec<Param>,
        pointer: &str,
    ) -> Result<Vec<Param>> {
        let mut ordered = Vec::with_capacity(params.len());
        for segment in template_names(path) {
            let Some(at) = params.iter().position(|p| p.wire_name == segment) else {
                return Err(self.error(
                    pointer,
                    format!("path parameter `{segment}` is not declared"),
                ));
            };
            ordered.push(params.remove(at));
        }
        if let Some(extra) = params.first() {
            return Err(self.error(
                pointer,
                format!(
                    "path parameter `{}` does not appear in the path",
                    extra.wire_name
                ),
            ));
        }
        // Unlike the generated method's own arguments and locals.
        let names = naming::path_param_names(ordered.iter().map(|p| p.name.clone()));
        for (p, n) in ordered.iter_mut().zip(names) {
            p.name = n;
        }
        Ok(ordered)
    }

    fn lower_body(
        &mut self,
        body: &openapiv3::RequestBody,
        pointer: &str,
        hint: &str,
    ) -> Result<Body> {
        let pick = body
            .content
            .iter()
            .find(|(ct, _)| is_json(ct))
            .or_else(|| body.content.first());
        let Some((content_type, media)) = pick else {
            return Err(self.error(pointer, "request body has no content"));
        };
        let m_pointer = format!("{pointer}/content/{}/schema", pointer_token(content_type));
        let schema_type = |cx: &mut Self| -> Result<Type> {
            match &media.schema {
                Some(schema) => {
                    cx.schema_type(schema.into(), &m_pointer, &format!("{hint}Request"))
                }
                None => Ok(Type::Json),
            }
        };
        let ct = content_type.to_ascii_lowercase();
        // `*/*` with a structured schema is JSON in practice; with a binary
        // string (or none) it is raw bytes.
        let any_structured = ct == "*/*" && media.schema.as_ref().is_some_and(|s| !is_binary(s));
        let kind = if is_json(&ct) || any_structured {
            BodyKind::Json(schema_type(self)?)
        } else if ct.starts_with("application/x-www-form-urlencoded") {
            BodyKind::Form(schema_type(self)?)
        } else if ct.starts_with("multipart/form-data") {
            BodyKind::Multipart
        } else {
            BodyKind::Bytes
        };
        Ok(Body {
            content_type: content_type.clone(),
            kind,
            required: body.required,
            doc: body.description.clone().filter(|d| !d.trim().is_empty()),
        })
    }

    fn lower_response_body(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Result<ResponseBody> {
        let pick = response
            .content
            .iter()
            .find(|(ct, _)| is_json(ct))
            .or_else(|| response.content.first());
        let Some((content_type, media)) = pick else {
            return Ok(ResponseBody::Empty);
        };
        let ct = content_type.to_ascii_lowercase();
        if is_json(&ct) || (ct == "*/*" && media.schema.is_some()) {
            let m_pointer = format!("{pointer}/content/{}/schema", pointer_token(content_type));
            return Ok(match &media.schema {
                Some(schema) => {
                    ResponseBody::Json(self.schema_type(schema.into(), &m_pointer, hint)?)
                }
                None => ResponseBody::Json(Type::Json),
            });
        }
        if ct.starts_with("text/") {
            Ok(ResponseBody::Text)
        } else {
            Ok(ResponseBody::Bytes)
        }
    }

    /// Remembers the named schemas of error responses (4xx, 5xx, `default`)
    /// for the decoding policy. Error responses are otherwise not lowered,
    /// so one that cannot be resolved is skipped here, not an error.
    fn note_error_responses(&mut self, op: &openapiv3::Operation) {
        let errors = op
            .responses
            .responses
            .iter()
            .filter(|(status, _)| match status {
                StatusCode::Code(code) => *code >= 400,
                StatusCode::Range(range) => *range >= 4,
            })
            .map(|(_, response)| response)
            .chain(&op.responses.default);
        let mut found = Vec::new();
        for response in errors {
            let Ok(response) = self.resolve(response, "responses", |c| &c.responses, "") else {
                continue;
            };
            for media in response.content.values() {
                if let Some(ReferenceOr::Reference { reference }) = &media.schema
                    && let Ok(name) = self.component_ref(reference, "schemas", "")
                    && let Some(rust) = self.component_names.get(name)
                {
                    found.push(rust.clone());
                }
            }
        }
        self.error_types.extend(found);
    }

    fn struct_fields(&self, name: &str) -> Option<&[crate::ir::Field]> {
        self.types
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| match &t.kind {
                TypeKind::Struct(fields) => Some(fields.as_slice()),
                _ => None,
            })
    }

    fn field(&self, type_name: &str, json_name: &str) -> Option<&crate::ir::Field> {
        self.struct_fields(type_name)?
            .iter()
            .find(|f| f.json_name == json_name)
    }

    /// Inputs are `{id, after}` and results `{from: {id}, to: [...], paging}`:
    /// each input pages through its own associations.
    fn per_input_cursors(&self, body: &str, responses: &[SuccessResponse]) -> bool {
        let input_item = match self.field(body, "inputs").map(|f| &f.ty) {
            Some(Type::Vec(item)) => match &**item {
                Type::Named(n) => n.clone(),
                _ => return false,
            },
            _ => return false,
        };
        if self.field(&input_item, "id").is_none() || self.field(&input_item, "after").is_none() {
            return false;
        }
        responses.iter().any(|r| {
            let ResponseBody::Json(Type::Named(t)) = &r.body else {
                return false;
            };
            let Some(Type::Vec(item)) = self.field(t, "results").map(|f| &f.ty) else {
                return false;
            };
            let Type::Named(item) = &**item else {
                return false;
            };
            ["from", "to", "paging"]
                .iter()
                .all(|f| self.field(item, f).is_some())
        })
    }

    /// A query parameter the runtime can spell as keys: a free-form object,
    /// a map of scalars, or a struct.
    fn is_query_object(&self, ty: &Type) -> bool {
        match ty {
            Type::Json => true,
            Type::Map(inner) => !matches!(**inner, Type::Json | Type::Map(_)),
            Type::Named(name) => self.struct_fields(name).is_some(),
            _ => false,
        }
    }

    fn is_enum(&self, name: &str) -> bool {
        self.types
            .iter()
            .any(|t| t.name == name && matches!(t.kind, TypeKind::Enum(_)))
    }

    /// The body's required `inputs` list, which makes the operation a batch.
    fn inputs_list(&self, name: &str) -> Option<&crate::ir::Field> {
        self.field(name, "inputs")
            .filter(|f| f.required && matches!(f.ty, Type::Vec(_)))
    }

    /// Cursor paging: an `after` query parameter and a response with
    /// `results: [...]` and `paging`.
    fn paging(&self, query: &[Param], responses: &[SuccessResponse]) -> Option<Paging> {
        let cursor = query
            .iter()
            .find(|p| p.wire_name == "after" && p.ty == Type::String && !p.required)?;
        let [
            SuccessResponse {
                body: ResponseBody::Json(Type::Named(name)),
                ..
            },
        ] = responses
        else {
            return None;
        };
        let results = self
            .field(name, "results")
            .filter(|f| f.required && !f.nullable)?;
        let Type::Vec(item) = &results.ty else {
            return None;
        };
        let paging = self.field(name, "paging")?;
        let Type::Named(paging_type) = &paging.ty else {
            return None;
        };
        let next = self.field(paging_type, "next")?;
        let Type::Named(next_type) = &next.ty else {
            return None;
        };
        let after = self
            .field(next_type, "after")
            .filter(|f| f.ty == Type::String)?;
        // The final say is `policy::apply`'s, which decides how fields are held.
        let optional = |f: &crate::ir::Field| !f.required || f.nullable;
        Some(Paging {
            cursor_param: cursor.name.clone(),
            item: (**item).clone(),
            results_field: results.name.clone(),
            paging_field: paging.name.clone(),
            next_field: next.name.clone(),
            after_field: after.name.clone(),
            optional: PagingOptional {
                paging: optional(paging),
                next: optional(next),
                after: optional(after),
            },
        })
    }
}

/// Where the document puts a parameter, before its type decides the rest.
#[derive(Clone, Copy)]
enum Place {
    Path,
    Query { deep_object: bool, explode: bool },
    Header,
}

/// Query and header parameters are fields of one params struct: their names
/// must differ (a query `after` and a header `After` would not), and each
/// optional one gets its setter.
fn name_struct_params(query: &mut [Param], header: &mut [Param]) {
    let mut names: Vec<String> = query
        .iter()
        .chain(&*header)
        .map(|p| p.name.clone())
        .collect();
    naming::dedupe(&mut names);
    for (p, name) in query.iter_mut().chain(header.iter_mut()).zip(names) {
        p.setter = (!p.required).then(|| naming::setter_name(&name));
        p.name = name;
    }
}

/// The status whose success an undocumented 2xx is read as: the first
/// non-207 success, when every non-207 success has the same body.
fn undocumented_2xx_as(responses: &[SuccessResponse]) -> Option<u16> {
    let mut full = responses.iter().filter(|r| r.status != 207);
    let first = full.next()?;
    full.all(|r| r.body == first.body).then_some(first.status)
}

pub(super) fn parse_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "patch" => HttpMethod::Patch,
        "head" => HttpMethod::Head,
        "options" => HttpMethod::Options,
        "trace" => HttpMethod::Trace,
        _ => return None,
    })
}

fn is_binary(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    use openapiv3::{SchemaKind, StringFormat, Type as OaType, VariantOrUnknownOrEmpty};
    matches!(
        schema,
        ReferenceOr::Item(openapiv3::Schema {
            schema_kind: SchemaKind::Type(OaType::String(openapiv3::StringType {
                format: VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte),
                ..
            })),
            ..
        })
    )
}

fn is_json(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// `{name}` placeholders of a path template, in order.
pub(crate) fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ir::{BatchMerge, Document};
    use crate::lower::{LowerOptions, Strictness, lower};
    use crate::overrides::Overrides;

    /// One document with a batch operation per answer shape, plus two
    /// non-batch operations with several successes.
    fn lowered() -> Document {
        let json_of = |schema: &str| {
            format!(
                r##"{{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{schema}"}}}}}}, "description": "d"}}"##
            )
        };
        let op = |responses: &[(u16, Option<&str>)]| {
            let responses: Vec<String> = responses
                .iter()
                .map(|(status, schema)| match schema {
                    Some(schema) => format!("\"{status}\": {}", json_of(schema)),
                    None => format!("\"{status}\": {{\"description\": \"d\"}}"),
                })
                .collect();
            format!(
                r##"{{"post": {{"requestBody": {{"required": true, {}}}, "responses": {{{}}}}}}}"##,
                &json_of("In")[1..json_of("In").len() - 1],
                responses.join(", ")
            )
        };
        let paths = [
            (
                "/multi",
                op(&[(201, Some("Plain")), (207, Some("WithErrors"))]),
            ),
            ("/list", op(&[(200, Some("WithErrors"))])),
            ("/nobody", op(&[(204, None)])),
            ("/plain", op(&[(200, Some("Plain"))])),
            (
                "/two-kinds",
                op(&[(200, Some("Plain")), (202, Some("WithErrors"))]),
            ),
            (
                "/one-kind",
                op(&[(200, Some("Plain")), (202, Some("Plain"))]),
            ),
        ];
        let paths: Vec<String> = paths
            .iter()
            .map(|(path, item)| format!("\"{path}\": {item}"))
            .collect();
        let text = format!(
            r##"{{"openapi": "3.0.1", "info": {{"title": "t", "version": "v1"}}, "paths": {{{}}},
            "components": {{"schemas": {{
              "In": {{"type": "object", "required": ["inputs"], "properties": {{"inputs": {{"type": "array", "items": {{"type": "string"}}}}}}}},
              "Plain": {{"type": "object", "properties": {{"results": {{"type": "array", "items": {{"type": "string"}}}}}}}},
              "WithErrors": {{"type": "object", "properties": {{"results": {{"type": "array", "items": {{"type": "string"}}}}, "errors": {{"type": "array", "items": {{"type": "string"}}}}}}}}
            }}}}}}"##,
            paths.join(", ")
        );
        let loaded = crate::load::load_str(Path::new("t.json"), &text).unwrap();
        let overrides = Overrides::default();
        let options = LowerOptions {
            module: "t".into(),
            source: "t.json".into(),
            overrides: &overrides,
            strictness: Strictness::Strict,
            method_names: None,
        };
        lower(Path::new("t.json"), &loaded.spec, &options)
            .unwrap()
            .0
    }

    fn find<'a>(doc: &'a Document, path: &str) -> &'a crate::ir::Operation {
        doc.operations.iter().find(|o| o.path == path).unwrap()
    }

    /// Lowers a tiny YAML document: `body` holds its `paths` (and
    /// `components`), the header is added; `overrides` is overrides.toml.
    fn lower_yaml(body: &str, overrides: &str) -> Document {
        let text = format!("openapi: 3.0.1\ninfo:\n  title: t\n  version: v1\n{body}");
        let loaded = crate::load::load_str(Path::new("t.yaml"), &text).unwrap();
        let overrides = Overrides::parse(Path::new("overrides.toml"), overrides).unwrap();
        let options = LowerOptions {
            module: "t".into(),
            source: "t.yaml".into(),
            overrides: &overrides,
            strictness: Strictness::Strict,
            method_names: None,
        };
        lower(Path::new("t.yaml"), &loaded.spec, &options)
            .unwrap()
            .0
    }

    /// The IR dump of a tiny document's operations (its types left out).
    fn operations(body: &str) -> String {
        operations_with(body, "")
    }

    fn operations_with(body: &str, overrides: &str) -> String {
        let mut doc = lower_yaml(body, overrides);
        doc.types.clear();
        crate::ir::dump(&doc)
    }

    #[test]
    fn path_params_in_path_order_query_styles_and_headers() {
        let dump = operations(
            r#"
paths:
  /things/{thingId}/parts/{partId}:
    get:
      parameters:
        - {name: partId, in: path, required: true, schema: {type: integer, format: int32}}
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, format: int32, default: 10}}
        - {name: ids, in: query, schema: {type: array, items: {type: string}}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, schema: {$ref: '#/components/schemas/Filter'}}
        - {name: 'property.{name}', in: query, schema: {type: object, additionalProperties: {type: string}}}
        - {name: bounds, in: query, required: true, explode: false, schema: {type: object, additionalProperties: {type: integer, format: int32}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '204': {description: done}
components:
  schemas:
    Filter:
      type: object
      properties:
        min: {type: integer, format: int32}
"#,
        );
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation get_thing_part = GET /things/{thingId}/parts/{partId}
          endpoint "GET /things/{}/parts/{}"
          retry=idempotent other-2xx-as=204 params-type=GetThingPartParams
          path thing_id "thingId": string required
          path part_id "partId": i32 required
          query limit "limit": i32 style=form setter=with_limit default=10
          query ids "ids": [string] style=form setter=with_ids
          query tags "tags": [string] style=comma-joined setter=with_tags
          query filter "filter": Filter style=deep-object setter=with_filter
          query property_name "property.{name}": {string: string} style=object setter=with_property_name
          query bounds "bounds": {string: i32} required style=object-joined
          header x_trace "X-Trace": string setter=with_x_trace
          204 NoContent empty
        "#);
    }

    #[test]
    fn query_and_header_params_with_one_name_get_two_fields() {
        let dump = operations(
            r#"
paths:
  /things:
    get:
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: After, in: header, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
"#,
        );
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation list_things = GET /things
          endpoint "GET /things"
          retry=idempotent other-2xx-as=204 params-type=ListThingsParams
          query after "after": string style=form setter=with_after
          header after2 "After": string required
          204 NoContent empty
        "#);
    }

    #[test]
    fn unsupported_parameter_shapes_are_errors() {
        for (param, message) in [
            (
                "{name: ids, in: path, required: true, schema: {type: array, items: {type: string}}}",
                "array-valued path and header parameters are not supported",
            ),
            (
                "{name: X-Obj, in: header, schema: {type: object, additionalProperties: {type: string}}}",
                "object-valued path and header parameters",
            ),
            (
                "{name: c, in: cookie, schema: {type: string}}",
                "cookie parameters",
            ),
        ] {
            let path = if param.contains("in: path") {
                "/x/{ids}"
            } else {
                "/x"
            };
            let text = format!(
                "openapi: 3.0.1\ninfo: {{title: t, version: v1}}\npaths:\n  {path}:\n    get:\n      parameters: [{param}]\n      responses: {{'204': {{description: d}}}}\n"
            );
            let loaded = crate::load::load_str(Path::new("t.yaml"), &text).unwrap();
            let overrides = Overrides::default();
            let options = LowerOptions {
                module: "t".into(),
                source: "t.yaml".into(),
                overrides: &overrides,
                strictness: Strictness::Strict,
                method_names: None,
            };
            let err = lower(Path::new("t.yaml"), &loaded.spec, &options).unwrap_err();
            assert!(err.to_string().contains(message), "{param}: {err}");
        }
    }

    /// A page: `results` and `paging.next.after`, how optional as the document says.
    const PAGE: &str = r#"
components:
  schemas:
    Page:
      type: object
      required: [results]
      properties:
        results: {type: array, items: {type: string}}
        paging: {$ref: '#/components/schemas/Paging'}
    Paging:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Next'}
    Next:
      type: object
      properties:
        after: {type: string}
    StrictPage:
      type: object
      required: [results, paging]
      properties:
        results: {type: array, items: {type: integer}}
        paging: {$ref: '#/components/schemas/StrictPaging'}
    StrictPaging:
      type: object
      required: [next]
      properties:
        next: {$ref: '#/components/schemas/StrictNext'}
    StrictNext:
      type: object
      required: [after]
      properties:
        after: {type: string}
"#;

    fn page_op(path: &str, schema: &str, cursor: &str) -> String {
        format!(
            "  {path}:\n    get:\n      parameters:\n        - {cursor}\n      responses:\n        '200':\n          description: a page\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n"
        )
    }

    #[test]
    fn paging_needs_an_after_parameter_and_results_with_a_cursor() {
        let after = "{name: after, in: query, schema: {type: string}}";
        let paths = [
            page_op("/pages", "Page", after),
            page_op("/strict-pages", "StrictPage", after),
            // A required cursor, or one that is not text, does not page.
            page_op(
                "/required-after",
                "Page",
                "{name: after, in: query, required: true, schema: {type: string}}",
            ),
            page_op(
                "/numbered",
                "Page",
                "{name: after, in: query, schema: {type: integer}}",
            ),
            page_op(
                "/no-cursor",
                "Page",
                "{name: limit, in: query, schema: {type: integer}}",
            ),
        ];
        let dump = operations(&format!("paths:\n{}{PAGE}", paths.concat()));
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation list_pages = GET /pages
          endpoint "GET /pages"
          retry=idempotent pages-by=after item=string optional=paging+next+after other-2xx-as=200 also=list_pages_stream params-type=ListPagesParams
          query after "after": string style=form setter=with_after
          200 Ok json Page
        operation list_strict_pages = GET /strict-pages
          endpoint "GET /strict-pages"
          retry=idempotent pages-by=after item=i64 optional=after other-2xx-as=200 also=list_strict_pages_stream params-type=ListStrictPagesParams
          query after "after": string style=form setter=with_after
          200 Ok json StrictPage
        operation list_required_after = GET /required-after
          endpoint "GET /required-after"
          retry=idempotent other-2xx-as=200 params-type=ListRequiredAfterParams
          query after "after": string required style=form
          200 Ok json Page
        operation list_numbered = GET /numbered
          endpoint "GET /numbered"
          retry=idempotent other-2xx-as=200 params-type=ListNumberedParams
          query after "after": i64 style=form setter=with_after
          200 Ok json Page
        operation list_no_cursor = GET /no-cursor
          endpoint "GET /no-cursor"
          retry=idempotent other-2xx-as=200 params-type=ListNoCursorParams
          query limit "limit": i64 style=form setter=with_limit
          200 Ok json Page
        "#);
    }

    #[test]
    fn path_params_named_like_the_methods_own_locals_are_renamed() {
        let path_param = |name: &str| {
            format!("{{name: {name}, in: path, required: true, schema: {{type: string}}}}")
        };
        let op = format!(
            "  /x/{{api}}/{{cursor}}/{{page}}/{{params}}:\n    get:\n      parameters: [{}, {}, {}, {}, {{name: after, in: query, schema: {{type: string}}}}]\n      responses:\n        '200':\n          description: a page\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\n",
            path_param("api"),
            path_param("cursor"),
            path_param("page"),
            path_param("params"),
        );
        let dump = operations(&format!("paths:\n{op}{PAGE}"));
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation get_x_by_cursor_by_page_by_params = GET /x/{api}/{cursor}/{page}/{params}
          endpoint "GET /x/{}/{}/{}/{}"
          retry=idempotent pages-by=after item=string optional=paging+next+after other-2xx-as=200 also=get_x_by_cursor_by_page_by_params_stream params-type=GetXByCursorByPageByParamsParams
          path api2 "api": string required
          path cursor2 "cursor": string required
          path page2 "page": string required
          path params2 "params": string required
          query after "after": string style=form setter=with_after
          200 Ok json Page
        "#);
    }

    #[test]
    fn retry_safety_and_rate_class_follow_method_and_overrides() {
        let dump = operations_with(
            r#"
paths:
  /things:
    get:
      responses: {'204': {description: d}}
    post:
      responses: {'204': {description: d}}
    patch:
      responses: {'204': {description: d}}
  /things/search:
    post:
      responses: {'204': {description: d}}
  /things/query:
    post:
      responses: {'204': {description: d}}
"#,
            r#"
[endpoints."POST /things/query"]
read_only = true
rate_limit = "search"
"#,
        );
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation list_things = GET /things
          endpoint "GET /things"
          retry=idempotent other-2xx-as=204
          204 NoContent empty
        operation create_things = POST /things
          endpoint "POST /things"
          retry=only-if-unsent other-2xx-as=204
          204 NoContent empty
        operation update_things = PATCH /things
          endpoint "PATCH /things"
          retry=only-if-unsent other-2xx-as=204
          204 NoContent empty
        operation things_search = POST /things/search
          endpoint "POST /things/search"
          retry=only-if-unsent rate=search other-2xx-as=204
          204 NoContent empty
        operation create_things_query = POST /things/query
          endpoint "POST /things/query"
          retry=read-only rate=search other-2xx-as=204
          204 NoContent empty
        "#);
    }

    #[test]
    fn a_json_body_with_an_inputs_list_is_a_batch() {
        let dump = operations_with(
            r#"
paths:
  /things/batch/read:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Inputs'}
      responses:
        '200':
          description: all read
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Results'}
        '207':
          description: some failed
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Results'}
  /things/single:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Results'}
      responses:
        '204': {description: d}
components:
  schemas:
    Inputs:
      type: object
      required: [inputs]
      properties:
        inputs: {type: array, items: {type: string}}
    Results:
      type: object
      properties:
        results: {type: array, items: {type: string}}
        errors: {type: array, items: {type: string}}
"#,
            "[endpoints.\"POST /things/batch/read\"]\nbatch_limit = 250\n",
        );
        insta::assert_snapshot!(dump, @r#"
            document t ("t", version "v1") from t.yaml
            operation things_batch_read = POST /things/batch/read
              endpoint "POST /things/batch/read"
              retry=only-if-unsent batch-limit=250 merge=multi-status(ok=200) other-2xx-as=200 response-enum=ThingsBatchReadResponse input-alias=ThingsBatchReadInput
              body application/json Json(Named("Inputs")) required
              200 Ok json Results keeps-undecoded
              207 MultiStatus json Results keeps-undecoded
            operation create_things_single = POST /things/single
              endpoint "POST /things/single"
              retry=only-if-unsent other-2xx-as=204 input-alias=CreateThingsSingleInput
              body application/json Json(Named("Results"))
              204 NoContent empty
        "#);
    }

    #[test]
    fn several_successes_make_a_response_enum() {
        let dump = operations(
            r#"
paths:
  /exports/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the file
          content:
            text/csv: {schema: {type: string}}
        '202': {description: not ready yet}
        '303': {description: elsewhere}
        '404': {description: not found}
"#,
        );
        insta::assert_snapshot!(dump, @r#"
            document t ("t", version "v1") from t.yaml
            operation get_export = GET /exports/{id}
              endpoint "GET /exports/{}"
              retry=idempotent other-2xx=error response-enum=GetExportResponse
              path id "id": string required arg=id
              200 Ok text
              202 Accepted empty
        "#);
    }

    #[test]
    fn undocumented_successes() {
        let dump = operations(
            r#"
paths:
  /none:
    delete:
      responses:
        '404': {description: not found}
  /range:
    get:
      responses:
        2XX:
          description: any success
          content:
            application/json: {schema: {type: object, additionalProperties: {type: string}}}
  /one-body:
    put:
      responses:
        '200': {description: replaced}
        '204': {description: replaced}
"#,
        );
        insta::assert_snapshot!(dump, @r#"
        document t ("t", version "v1") from t.yaml
        operation delete_none = DELETE /none
          endpoint "DELETE /none"
          retry=idempotent other-2xx-as=200
          200 Ok empty
        operation list_range = GET /range
          endpoint "GET /range"
          retry=idempotent other-2xx-as=200
          200 Ok json {string: string}
        operation replace_one_body = PUT /one-body
          endpoint "PUT /one-body"
          retry=idempotent other-2xx-as=200 response-enum=ReplaceOneBodyResponse
          200 Ok empty
          204 NoContent empty
        "#);
    }

    #[test]
    fn batch_merge_follows_the_documented_answers() {
        let doc = lowered();
        let merge = |path| find(&doc, path).batch.as_ref().map(|b| b.merge);
        assert_eq!(merge("/multi"), Some(BatchMerge::MultiStatus { ok: 201 }));
        assert_eq!(merge("/list"), Some(BatchMerge::ErrorsList { ok: 200 }));
        assert_eq!(
            merge("/nobody"),
            Some(BatchMerge::AllOrError {
                ok: 204,
                json: false
            })
        );
        assert_eq!(
            merge("/plain"),
            Some(BatchMerge::AllOrError {
                ok: 200,
                json: true
            })
        );
    }

    #[test]
    fn an_undocumented_2xx_is_read_as_the_one_kind_of_success() {
        let doc = lowered();
        let other = |path| find(&doc, path).undocumented_2xx_as;
        assert_eq!(
            other("/multi"),
            Some(201),
            "207 is not a kind of full success"
        );
        assert_eq!(other("/nobody"), Some(204));
        assert_eq!(other("/one-kind"), Some(200));
        assert_eq!(other("/two-kinds"), None);
    }
}
