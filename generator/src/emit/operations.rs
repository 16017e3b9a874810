//! IR operations → async methods on the version's `Api`, with their
//! parameter structs and response enums. The methods are thin: building the
//! request, retrying, rate limiting and decoding live in the runtime.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::builder::{self, Builder, BuilderField};
use super::docs::{code, doc_attrs, doc_attrs_trusted};
use super::types::{arg_type, ident, response_body_type, rust_type};
use crate::ir::{
    ArgKind, BatchMerge, Body, BodyKind, HttpMethod, Operation, Paging, Param, ParamLocation,
    QueryStyle, RateLimitClass, ResponseBody, RetrySafety, SuccessResponse, Type,
};

/// `api_path` is the path of the `Api` struct the methods go on.
pub fn operations(operations: &[Operation], api_path: &TokenStream) -> TokenStream {
    let support = operations.iter().map(support_types);
    let methods = operations.iter().map(method);
    quote! {
        #(#support)*

        impl #api_path {
            #(#methods)*
        }
    }
}

fn params_type(op: &Operation) -> Option<proc_macro2::Ident> {
    op.params_type.as_deref().map(ident)
}

fn response_enum(op: &Operation) -> Option<proc_macro2::Ident> {
    op.response_enum.as_deref().map(ident)
}

/// What the method returns: the response enum, or the one success's body.
fn response_type(op: &Operation) -> TokenStream {
    match (response_enum(op), op.single_response()) {
        (Some(name), _) => quote!(#name),
        (None, Some(single)) => response_body_type(&single.body),
        (None, None) => quote!(()),
    }
}

/// The params struct and the response enum an operation needs, if any.
fn support_types(op: &Operation) -> TokenStream {
    let rt = super::paths::internals();
    let method_link = format!("[`Api::{}`](super::super::Api::{})", op.name, op.name);
    let params = params_type(op).map(|name| {
        let all: Vec<&Param> = op.query_params.iter().chain(&op.header_params).collect();
        let fields = all.iter().map(|p| {
            let fname = ident(&p.name);
            let ty = rust_type(&p.ty);
            let ty = if p.required { ty } else { quote!(Option<#ty>) };
            let mut notes = vec![format!(
                "{} parameter {}{}.",
                struct_field_writer(op, p).0,
                code(&p.wire_name),
                if p.required { ", required" } else { "" }
            )];
            if let Some(default) = &p.default {
                notes.push(format!("HubSpot's default: {}.", code(default)));
            }
            let docs = doc_attrs(
                p.doc
                    .as_deref()
                    .into_iter()
                    .chain(notes.iter().map(String::as_str)),
            );
            quote!(#docs pub #fname: #ty,)
        });
        let builder = builder::builder(&Builder {
            type_name: &name.to_string(),
            new_doc: "Creates the parameters from the required ones.".to_owned(),
            allow_deprecated: false,
            fields: all
                .iter()
                .map(|p| BuilderField {
                    name: &p.name,
                    setter: p.setter.as_deref(),
                    wire_name: &p.wire_name,
                    ty: &p.ty,
                    arg: p.arg,
                    boxed: false,
                    optional: !p.required,
                })
                .collect(),
            extra_inits: Vec::new(),
        });
        let writes = all.iter().map(|p| {
            let fname = ident(&p.name);
            let wire = &p.wire_name;
            let write = struct_field_writer(op, p).1;
            quote!(out.#write(#wire, &self.#fname);)
        });
        let required = all.iter().any(|p| p.required);
        let derive_default = (!required).then(|| quote!(Default,));
        let doc = format!("Parameters of {method_link}.");
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            #[non_exhaustive]
            pub struct #name { #(#fields)* }

            #builder

            impl #rt::Params for #name {
                fn write(&self, out: &mut #rt::ParamWriter) {
                    #(#writes)*
                }
            }
        }
    });
    let responses = response_enum(op).map(|name| {
        let variants = op.responses.iter().map(|r| {
            let variant = ident(&r.variant);
            let status = format!("HTTP {}.", r.status);
            let docs = doc_attrs([status.as_str()].into_iter().chain(r.doc.as_deref()));
            match &r.body {
                ResponseBody::Empty => quote!(#docs #variant,),
                body => {
                    let ty = response_body_type(body);
                    quote!(#docs #variant(#ty),)
                }
            }
        });
        let doc = format!(
            "What {method_link} returns: one variant per success status, so a partial success (207) cannot pass unnoticed."
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
        }
    });
    let alias = op.input_alias.as_deref().and_then(|alias| {
        let Some(Body {
            kind: BodyKind::Json(ty),
            ..
        }) = &op.body
        else {
            return None;
        };
        let alias = ident(alias);
        let target = rust_type(ty);
        let doc = format!("The body of {method_link}: a short name for [`{}`].", ty);
        Some(quote! {
            #[doc = #doc]
            pub type #alias = #target;
        })
    });
    quote!(#params #responses #alias)
}

/// A field of the params struct: the word its docs use and the
/// `ParamWriter` method that writes it. Only query and header parameters
/// are fields; lower keeps path parameters in `Operation::path_params`, the
/// method's arguments, so a path parameter here is a broken IR.
fn struct_field_writer(op: &Operation, p: &Param) -> (&'static str, TokenStream) {
    match p.location {
        ParamLocation::Query(QueryStyle::Form) => ("Query", quote!(query)),
        ParamLocation::Query(QueryStyle::CommaJoined) => ("Query", quote!(query_joined)),
        ParamLocation::Query(QueryStyle::Object) => ("Query", quote!(query_object)),
        ParamLocation::Query(QueryStyle::ObjectJoined) => ("Query", quote!(query_object_joined)),
        ParamLocation::Query(QueryStyle::DeepObject) => ("Query", quote!(query_deep_object)),
        ParamLocation::Header => ("Header", quote!(header)),
        ParamLocation::Path => panic!(
            "broken IR: path parameter `{}` of operation `{}` is among its query/header \
             parameters; lower puts path parameters in `Operation::path_params` only",
            p.wire_name, op.name
        ),
    }
}

fn method(op: &Operation) -> TokenStream {
    let rt = super::paths::internals();
    let name = ident(&op.name);
    let endpoint = format!("{} {}", op.method.as_str(), op.path);
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(op.summary.clone());
    paragraphs.extend(
        op.description
            .clone()
            .filter(|d| Some(d) != op.summary.as_ref()),
    );
    let mut notes = vec![code(&endpoint)];
    if op.rate_limit_exempt {
        notes.push(
            "Exempt from HubSpot's ten-secondly rate limit, so it bypasses the client's limiter."
                .into(),
        );
    }
    if op.rate_class == RateLimitClass::Search {
        notes.push(
            "A search endpoint: held to HubSpot's per-second search limit as well (see \
             [`ClientBuilder::search_rate_limit`](crate::ClientBuilder::search_rate_limit))."
                .into(),
        );
    }
    notes.push(
        match op.retry {
            RetrySafety::IdempotentMethod => {
                "Retries: safe to repeat, so it is retried after a 429, a 502/503/504, a timeout or a broken connection."
            }
            RetrySafety::ReadOnlyPost => {
                "Retries: it only reads, so it is retried after a 429, a 502/503/504, a timeout or a broken connection."
            }
            RetrySafety::OnlyIfUnsent => {
                "Retries: a repeat could duplicate the write, so it is retried only after a 429 or when the request provably never reached HubSpot (connection refused, DNS, TLS); never after a timeout, a 5xx or a connection lost after sending."
            }
        }
        .into(),
    );
    if let Some(batch) = &op.batch {
        let failed_chunk = match batch.merge {
            BatchMerge::MultiStatus { .. } => {
                "A request that fails (after retries) makes the answer the 207, with one `errors` \
                 entry (category `CLIENT_CHUNK_FAILED`, or `CLIENT_CHUNK_OUTCOME_UNKNOWN` when \
                 HubSpot may have carried it out) naming its inputs; the other requests' \
                 results are kept."
            }
            BatchMerge::ErrorsList { .. } => {
                "A request that fails (after retries) is one `errors` entry (category \
                 `CLIENT_CHUNK_FAILED`, or `CLIENT_CHUNK_OUTCOME_UNKNOWN` when HubSpot may have \
                 carried it out) naming its inputs; the other requests' results are kept."
            }
            BatchMerge::AllOrError { .. } => {
                "If a request fails (after retries), the call fails with \
                 [`Error::Batch`](crate::Error::Batch), which names the inputs done and not done."
            }
        };
        notes.push(format!(
            "HubSpot takes at most {} inputs per request; more are split into requests of that size \
             (see [`ClientBuilder::batch_limit`](crate::ClientBuilder::batch_limit)), sent a few at a \
             time and merged in input order. {failed_chunk}",
            batch.limit
        ));
    }
    let docs = doc_attrs(paragraphs.iter().map(String::as_str));
    let notes = doc_attrs_trusted(notes.iter().map(String::as_str));
    let docs = if paragraphs.is_empty() {
        notes
    } else {
        quote!(#docs #[doc = ""] #notes)
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let args = signature(op);
    let ret = response_type(op);

    let mut out = match (&op.derived.all, &op.derived.with) {
        (Some(all), Some(with)) => {
            let all = ident(all);
            let with = ident(with);
            let call = call_args(op);
            let body = method_body(op, quote!(follow));
            let all_doc = format!(
                " Like [`Self::{}`], then follows each input's own `paging.next.after` until every \
                 page of that input's results is read, and returns the results merged per input.",
                op.name
            );
            quote! {
                #docs
                #deprecated
                pub async fn #name(&self, #(#args),*) -> Result<#ret, #rt::Error> {
                    self.#with(#(#call,)* false).await
                }

                #[doc = #all_doc]
                #deprecated
                pub async fn #all(&self, #(#args),*) -> Result<#ret, #rt::Error> {
                    self.#with(#(#call,)* true).await
                }

                async fn #with(&self, #(#args,)* follow: bool) -> Result<#ret, #rt::Error> {
                    #body
                }
            }
        }
        _ => {
            let body = method_body(op, quote!(false));
            quote! {
                #docs
                #deprecated
                pub async fn #name(&self, #(#args),*) -> Result<#ret, #rt::Error> {
                    #body
                }
            }
        }
    };
    if let (Some(stream), Some(paging)) = (&op.derived.stream, &op.paging) {
        out.extend(stream_method(op, stream, paging));
    }
    out
}

/// Arguments of an operation method after `&self`.
fn signature(op: &Operation) -> Vec<TokenStream> {
    let rt = super::paths::internals();
    let path_args = op.path_params.iter().map(|p| {
        let pname = ident(&p.name);
        let ty = match p.arg {
            ArgKind::Id => quote!(impl Into<#rt::ObjectId>),
            ArgKind::Into | ArgKind::Value => arg_type(&p.ty),
        };
        quote!(#pname: #ty)
    });
    let params_arg = params_type(op).map(|t| quote!(params: &#t));
    let body_arg = op.body.as_ref().map(body_arg);
    path_args.chain(params_arg).chain(body_arg).collect()
}

/// `let <id>: ObjectId = <id>.into();` for each path parameter taken as an
/// id, so the path is filled from its text.
fn id_conversions(op: &Operation) -> impl Iterator<Item = TokenStream> + '_ {
    let rt = super::paths::internals();
    op.path_params
        .iter()
        .filter(|p| p.arg == ArgKind::Id)
        .map(move |p| {
            let pname = ident(&p.name);
            quote!(let #pname: #rt::ObjectId = #pname.into();)
        })
}

/// The argument names of [`signature`], to pass them on.
fn call_args(op: &Operation) -> Vec<TokenStream> {
    let path_args = op.path_params.iter().map(|p| {
        let pname = ident(&p.name);
        quote!(#pname)
    });
    let params_arg = params_type(op).map(|_| quote!(params));
    let body_arg = op.body.as_ref().map(|_| quote!(body));
    path_args.chain(params_arg).chain(body_arg).collect()
}

fn method_body(op: &Operation, follow_cursors: TokenStream) -> TokenStream {
    let rt = super::paths::internals();
    let path = path_expr(op);
    let method = match op.method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Trace => quote!(TRACE),
    };
    let op_name = &op.name;
    let mut build = quote!(#rt::Request::new(#rt::Method::#method, #path, #op_name));
    if op.retry.may_repeat() {
        build = quote!(#build.idempotent());
    }
    if params_type(op).is_some() {
        build = quote!(#build.params(params));
    }
    if let Some(body) = &op.body {
        build = match (&body.kind, body.required) {
            (BodyKind::Json(_), true) => quote!(#build.json(body)?),
            (BodyKind::Json(_), false) => quote!(#build.json_opt(body)?),
            (BodyKind::Form(_), true) => quote!(#build.form(body)?),
            (BodyKind::Form(_), false) => quote!(#build.form_opt(body)?),
            (BodyKind::Multipart, _) => quote!(#build.multipart(body)),
            (BodyKind::Bytes, _) => quote!(#build.raw(body)),
        };
    }
    if op.rate_limit_exempt {
        build = quote!(#build.rate_limit_exempt());
    }
    if op.rate_class == RateLimitClass::Search {
        build = quote!(#build.search_rate_limited());
    }
    let send = match &op.batch {
        Some(batch) => {
            let inputs = ident(&batch.inputs_field);
            let limit = Literal::usize_unsuffixed(batch.limit);
            let merge = match batch.merge {
                BatchMerge::MultiStatus { ok } => {
                    let ok = Literal::u16_unsuffixed(ok);
                    quote!(MultiStatus { ok: #ok })
                }
                BatchMerge::ErrorsList { ok } => {
                    let ok = Literal::u16_unsuffixed(ok);
                    quote!(ErrorsList { ok: #ok })
                }
                BatchMerge::AllOrError { ok, json } => {
                    let ok = Literal::u16_unsuffixed(ok);
                    quote!(AllOrError { ok: #ok, json: #json })
                }
            };
            quote! {
                self.client.execute_batch(
                    request,
                    #rt::BatchPlan {
                        limit: #limit,
                        follow_cursors: #follow_cursors,
                        merge: #rt::BatchMerge::#merge,
                    },
                    body.#inputs.len(),
                ).await?
            }
        }
        None => quote!(self.client.execute(request).await?),
    };
    let arms = op.responses.iter().map(|r| response_arm(op, r));
    let documented = op
        .responses
        .iter()
        .map(|r| Literal::u16_unsuffixed(r.status));
    let other = match op
        .undocumented_2xx_as
        .and_then(|status| op.responses.iter().find(|r| r.status == status))
    {
        Some(r) => {
            let read_as = Literal::u16_unsuffixed(r.status);
            let decode = decode_response(op, r);
            // An empty success reads nothing, so its closure ignores the response.
            let param = match r.body {
                ResponseBody::Empty => quote!(_),
                _ => quote!(response),
            };
            quote!(response.undocumented(&[#(#documented),*], #read_as, |#param| #decode))
        }
        None => quote!(Err(response.undocumented_status(&[#(#documented),*]))),
    };
    let ids = id_conversions(op);
    quote! {
        #(#ids)*
        let request = #build;
        let response = #send;
        match response.status() {
            #(#arms)*
            _ => #other,
        }
    }
}

/// `<name>_stream`: every item of every page, fetched as the stream is read.
fn stream_method(op: &Operation, stream: &str, paging: &Paging) -> TokenStream {
    let rt = super::paths::internals();
    let name = ident(stream);
    let method = ident(&op.name);
    let op_name = &op.name;
    let item = rust_type(&paging.item);
    let Some(params_ty) = params_type(op) else {
        return TokenStream::new();
    };
    let cursor = ident(&paging.cursor_param);
    let args = signature(op);
    let owned = op.path_params.iter().map(|p| {
        let pname = ident(&p.name);
        match &p.ty {
            Type::String if p.arg == ArgKind::Id => {
                quote!(let #pname: #rt::ObjectId = #pname.into();)
            }
            Type::String => quote!(let #pname = #pname.to_owned();),
            Type::Named(_) => quote!(let #pname = #pname.clone();),
            _ => quote!(),
        }
    });
    let per_page = op.path_params.iter().filter(|p| !p.ty.is_copy()).map(|p| {
        let pname = ident(&p.name);
        quote!(let #pname = #pname.clone();)
    });
    let call = op.path_params.iter().map(|p| {
        let pname = ident(&p.name);
        if p.ty.is_copy() {
            quote!(#pname)
        } else {
            quote!(&#pname)
        }
    });
    let (results, paging_field, next_field, after_field) = (
        ident(&paging.results_field),
        ident(&paging.paging_field),
        ident(&paging.next_field),
        ident(&paging.after_field),
    );
    let mut next = if paging.optional.paging {
        quote!(page.#paging_field)
    } else {
        quote!(Some(page.#paging_field))
    };
    next = if paging.optional.next {
        quote!(#next.and_then(|p| p.#next_field))
    } else {
        quote!(#next.map(|p| p.#next_field))
    };
    next = if paging.optional.after {
        quote!(#next.and_then(|n| n.#after_field))
    } else {
        quote!(#next.map(|n| n.#after_field))
    };
    let doc = format!(
        " Every item of [`Self::{}`], page after page: the next page is fetched when the stream \
         reaches it, starting from `params.{}`.",
        op.name, paging.cursor_param
    );
    quote! {
        #[doc = #doc]
        pub fn #name(&self, #(#args),*) -> impl #rt::futures_core::Stream<Item = Result<#item, #rt::Error>> + Send + 'static {
            let api = self.clone();
            let params: #params_ty = params.clone();
            #(#owned)*
            #rt::paginate(#op_name, params.#cursor.clone(), move |cursor| {
                let api = api.clone();
                let mut params = params.clone();
                params.#cursor = cursor;
                #(#per_page)*
                async move {
                    let page = api.#method(#(#call,)* &params).await?;
                    Ok((page.#results, #next))
                }
            })
        }
    }
}

fn body_arg(body: &Body) -> TokenStream {
    let rt = super::paths::internals();
    match &body.kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let ty = arg_type(ty);
            if body.required {
                quote!(body: #ty)
            } else {
                quote!(body: Option<#ty>)
            }
        }
        BodyKind::Multipart => quote!(body: #rt::Multipart),
        BodyKind::Bytes => quote!(body: #rt::RawBody),
    }
}

fn response_arm(op: &Operation, r: &SuccessResponse) -> TokenStream {
    let status = proc_macro2::Literal::u16_unsuffixed(r.status);
    let decode = decode_response(op, r);
    // A 207 the document does not list, decoded into the body that carries `errors`.
    if r.also_multi_status {
        quote!(#status | 207 => #decode,)
    } else {
        quote!(#status => #decode,)
    }
}

/// `response` read as the success `r`, in the method's return type.
fn decode_response(op: &Operation, r: &SuccessResponse) -> TokenStream {
    let decode = match &r.body {
        ResponseBody::Empty => quote!(Ok(())),
        ResponseBody::Json(_) if r.keeps_undecoded => quote!(response.json_keeping()),
        ResponseBody::Json(_) => quote!(response.json()),
        ResponseBody::Text => quote!(response.text()),
        ResponseBody::Bytes => quote!(Ok(response.into_bytes())),
    };
    let Some(enum_name) = response_enum(op) else {
        return decode;
    };
    let variant = ident(&r.variant);
    match &r.body {
        ResponseBody::Empty => quote!(Ok(#enum_name::#variant)),
        _ => quote!(#decode.map(#enum_name::#variant)),
    }
}

/// The path template as the document writes it and the values the runtime
/// fills it with, each percent-encoded as one segment.
fn path_expr(op: &Operation) -> TokenStream {
    let template = &op.path;
    let args = op.path_params.iter().map(|p| {
        let pname = ident(&p.name);
        quote!(&#pname)
    });
    quote!(#template, &[#(#args),*])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Batch, DerivedMethods, PagingOptional, RateLimitClass, RetrySafety, SuccessResponse,
    };

    fn text(ops: &[Operation]) -> String {
        super::super::format_file("operations.rs", operations(ops, &quote!(Api))).unwrap()
    }

    /// The text without whitespace and trailing commas, for code
    /// prettyplease may wrap.
    fn compact(text: &str) -> String {
        let text: String = text.split_whitespace().collect();
        text.replace(",)", ")").replace(",}", "}")
    }

    fn param(name: &str, ty: Type, required: bool, location: ParamLocation) -> Param {
        Param {
            name: name.into(),
            setter: (!required).then(|| crate::naming::setter_name(name)),
            arg: crate::ir::ArgKind::of(&ty, name),
            wire_name: name.into(),
            ty,
            required,
            location,
            default: None,
            doc: None,
        }
    }

    fn json_response(status: u16, variant: &str, ty: &str) -> SuccessResponse {
        SuccessResponse {
            status,
            variant: variant.into(),
            body: ResponseBody::Json(Type::Named(ty.into())),
            keeps_undecoded: false,
            also_multi_status: false,
            doc: None,
        }
    }

    fn op(name: &str, method: HttpMethod) -> Operation {
        Operation {
            name: name.into(),
            endpoint: format!("{} /things", method.as_str()),
            method,
            path: "/things".into(),
            summary: None,
            description: None,
            deprecated: false,
            path_params: Vec::new(),
            query_params: Vec::new(),
            header_params: Vec::new(),
            body: None,
            responses: vec![json_response(200, "Ok", "Page")],
            rate_limit_exempt: false,
            retry: RetrySafety::of(method, false),
            rate_class: RateLimitClass::Standard,
            batch: None,
            paging: None,
            params_type: None,
            response_enum: None,
            undocumented_2xx_as: Some(200),
            derived: DerivedMethods::default(),
            input_alias: None,
        }
    }

    #[test]
    fn each_param_location_and_query_style_has_its_writer() {
        let mut list = op("list", HttpMethod::Get);
        let text_list = Type::Vec(Box::new(Type::String));
        let map = Type::Map(Box::new(Type::String));
        let query = ParamLocation::Query;
        list.query_params = vec![
            param("after", Type::String, false, query(QueryStyle::Form)),
            param("tags", text_list, false, query(QueryStyle::CommaJoined)),
            param("props", map.clone(), false, query(QueryStyle::Object)),
            param(
                "bounds",
                map.clone(),
                false,
                query(QueryStyle::ObjectJoined),
            ),
            param("filter", map, true, query(QueryStyle::DeepObject)),
        ];
        list.header_params = vec![param("trace", Type::String, false, ParamLocation::Header)];
        list.params_type = Some("ListParams".into());
        let text = text(&[list]);
        for write in [
            "out.query(\"after\", &self.after);",
            "out.query_joined(\"tags\", &self.tags);",
            "out.query_object(\"props\", &self.props);",
            "out.query_object_joined(\"bounds\", &self.bounds);",
            "out.query_deep_object(\"filter\", &self.filter);",
            "out.header(\"trace\", &self.trace);",
        ] {
            assert!(text.contains(write), "{write}: {text}");
        }
        assert!(text.contains("/// Header parameter `trace`.\n"), "{text}");
        assert!(
            text.contains("/// Query parameter `filter`, required.\n"),
            "{text}"
        );
        // The same setter policy as models: owned values through `Into`,
        // collections as themselves (not generic, so `#[inline]`).
        assert!(
            text.contains(
                "#[inline]\n    pub fn new(filter: std::collections::BTreeMap<String, String>) -> Self {"
            ),
            "{text}"
        );
        assert!(
            text.contains("pub fn with_after(mut self, value: impl Into<String>) -> Self {"),
            "{text}"
        );
        assert!(
            compact(&text).contains(&compact(
                "pub async fn list(&self, params: &ListParams) -> Result<Page, crate::runtime::__private::Error> {"
            )),
            "{text}"
        );
        assert!(text.contains(".params(params);"), "{text}");
    }

    #[test]
    fn id_path_parameters_take_any_object_id_and_json_bodies_get_their_alias() {
        let mut get = op("get_object", HttpMethod::Put);
        let mut id = param("object_id", Type::String, true, ParamLocation::Path);
        id.wire_name = "objectId".into();
        id.arg = ArgKind::Id;
        let kind = param("object_type", Type::String, true, ParamLocation::Path);
        get.path_params = vec![kind, id];
        get.path = "/objects/{objectType}/{objectId}".into();
        get.body = Some(Body {
            content_type: "application/json".into(),
            kind: BodyKind::Json(Type::Named("BatchInputThing".into())),
            required: true,
            doc: None,
        });
        get.input_alias = Some("GetObjectInput".into());
        let text = text(&[get]);
        let compact = compact(&text);
        assert!(
            compact.contains(
                "pubasyncfnget_object(&self,object_type:&str,object_id:implInto<crate::runtime::__private::ObjectId>,body:&BatchInputThing)"
            ),
            "{text}"
        );
        assert!(
            compact.contains(
                "letobject_id:crate::runtime::__private::ObjectId=object_id.into();letrequest="
            ),
            "{text}"
        );
        assert!(compact.contains("&[&object_type,&object_id]"), "{text}");
        assert!(
            text.contains("pub type GetObjectInput = BatchInputThing;"),
            "{text}"
        );
    }

    #[test]
    fn the_stream_reads_the_cursor_through_the_optional_levels() {
        let mut list = op("list", HttpMethod::Get);
        list.query_params = vec![param(
            "after",
            Type::String,
            false,
            ParamLocation::Query(QueryStyle::Form),
        )];
        list.params_type = Some("ListParams".into());
        list.derived.stream = Some("list_stream".into());
        let paging = |paging, next, after| {
            Some(Paging {
                cursor_param: "after".into(),
                item: Type::String,
                results_field: "results".into(),
                paging_field: "paging".into(),
                next_field: "next".into(),
                after_field: "after".into(),
                optional: PagingOptional {
                    paging,
                    next,
                    after,
                },
            })
        };
        list.paging = paging(true, true, true);
        let all_optional = text(std::slice::from_ref(&list));
        assert!(
            all_optional.contains("pub fn list_stream(\n"),
            "{all_optional}"
        );
        assert!(
            all_optional.contains("page.paging.and_then(|p| p.next).and_then(|n| n.after),"),
            "{all_optional}"
        );
        list.paging = paging(false, false, true);
        let strict = text(&[list]);
        assert!(
            strict.contains("Some(page.paging).map(|p| p.next).and_then(|n| n.after)"),
            "{strict}"
        );
    }

    #[test]
    fn derived_batch_methods_and_the_response_enum_use_the_stored_names() {
        let mut read = op("batch_read", HttpMethod::Post);
        read.retry = RetrySafety::ReadOnlyPost;
        read.body = Some(Body {
            content_type: "application/json".into(),
            kind: BodyKind::Json(Type::Named("Inputs".into())),
            required: true,
            doc: None,
        });
        read.responses = vec![
            json_response(200, "Ok", "Results"),
            json_response(207, "MultiStatus", "Results"),
        ];
        read.response_enum = Some("BatchReadResponse".into());
        read.batch = Some(Batch {
            limit: 1000,
            inputs_field: "inputs".into(),
            per_input_cursors: true,
            merge: BatchMerge::MultiStatus { ok: 200 },
        });
        read.derived = DerivedMethods {
            all: Some("batch_read_all".into()),
            with: Some("batch_read_with".into()),
            stream: None,
        };
        let text = text(&[read]);
        for expected in [
            "pub enum BatchReadResponse {",
            "    MultiStatus(Results),",
            "pub async fn batch_read(\n",
            "self.batch_read_with(body, false).await",
            "pub async fn batch_read_all(\n",
            "self.batch_read_with(body, true).await",
            "async fn batch_read_with(\n",
            "merge: crate::runtime::__private::BatchMerge::MultiStatus {",
            "207 => response.json().map(BatchReadResponse::MultiStatus),",
            ".idempotent()",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }

    #[test]
    fn paging_and_batch_read_the_stored_rust_field_names() {
        let mut list = op("list", HttpMethod::Get);
        list.query_params = vec![param(
            "after",
            Type::String,
            false,
            ParamLocation::Query(QueryStyle::Form),
        )];
        list.params_type = Some("ListParams".into());
        list.derived.stream = Some("list_stream".into());
        list.paging = Some(Paging {
            cursor_param: "after".into(),
            item: Type::String,
            results_field: "r#items".into(),
            paging_field: "page_info".into(),
            next_field: "r#next2".into(),
            after_field: "cursor_text".into(),
            optional: PagingOptional {
                paging: true,
                next: true,
                after: true,
            },
        });
        let text_list = text(&[list]);
        assert!(
            compact(&text_list).contains(
                "Ok((page.r#items,page.page_info.and_then(|p|p.r#next2).and_then(|n|n.cursor_text)))"
            ),
            "{text_list}"
        );

        let mut create = op("create_batch", HttpMethod::Post);
        create.body = Some(Body {
            content_type: "application/json".into(),
            kind: BodyKind::Json(Type::Named("Inputs".into())),
            required: true,
            doc: None,
        });
        create.batch = Some(Batch {
            limit: 10,
            inputs_field: "input_list".into(),
            per_input_cursors: false,
            merge: BatchMerge::ErrorsList { ok: 200 },
        });
        let text_batch = text(&[create]);
        assert!(
            text_batch.contains("body.input_list.len(),"),
            "{text_batch}"
        );
    }

    /// Every name a method binds (`let x`, `|x|`) is in
    /// [`crate::naming::METHOD_LOCALS`], which path parameters are kept
    /// apart from; the one-letter closure arguments read only themselves.
    #[test]
    fn the_locals_the_methods_bind_are_the_reserved_ones() {
        let mut list = op("list", HttpMethod::Get);
        list.path_params = vec![param("id", Type::String, true, ParamLocation::Path)];
        list.query_params = vec![param(
            "after",
            Type::String,
            false,
            ParamLocation::Query(QueryStyle::Form),
        )];
        list.params_type = Some("ListParams".into());
        list.derived.stream = Some("list_stream".into());
        list.paging = Some(Paging {
            cursor_param: "after".into(),
            item: Type::String,
            results_field: "results".into(),
            paging_field: "paging".into(),
            next_field: "next".into(),
            after_field: "after".into(),
            optional: PagingOptional::default(),
        });
        list.undocumented_2xx_as = Some(200);
        let mut read = op("batch_read", HttpMethod::Post);
        read.body = Some(Body {
            content_type: "application/json".into(),
            kind: BodyKind::Json(Type::Named("Inputs".into())),
            required: true,
            doc: None,
        });
        read.batch = Some(Batch {
            limit: 10,
            inputs_field: "inputs".into(),
            per_input_cursors: true,
            merge: BatchMerge::ErrorsList { ok: 200 },
        });
        read.derived.all = Some("batch_read_all".into());
        read.derived.with = Some("batch_read_with".into());
        let text = text(&[list, read]);
        let methods = &text[text.find("impl Api").unwrap()..];
        let word = |rest: &str| -> String {
            rest.trim_start_matches("mut ")
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut bound: Vec<String> = methods.split("let ").skip(1).map(word).collect();
        bound.extend(
            methods
                .split('|')
                .skip(1)
                .step_by(2)
                .map(word)
                .filter(|w| !w.is_empty()),
        );
        bound.sort();
        bound.dedup();
        assert!(bound.contains(&"cursor".to_owned()), "{bound:?}");
        // Path parameter `id` is copied under its own name.
        for name in bound {
            assert!(
                crate::naming::METHOD_LOCALS.contains(&name.as_str())
                    || ["p", "n", "id"].contains(&name.as_str()),
                "`{name}` is bound in a method but not in naming::METHOD_LOCALS: {text}"
            );
        }
    }

    #[test]
    fn the_method_returns_the_stored_response_enum_or_the_single_body() {
        let mut get = op("get", HttpMethod::Get);
        // One documented success, but the IR says there is an enum: emit follows the IR.
        get.response_enum = Some("GetResponse".into());
        let text_enum = text(&[get]);
        assert!(text_enum.contains("pub enum GetResponse {"), "{text_enum}");
        assert!(
            text_enum.contains("-> Result<GetResponse, crate::runtime::__private::Error>"),
            "{text_enum}"
        );
        assert!(
            text_enum.contains("200 => response.json().map(GetResponse::Ok),"),
            "{text_enum}"
        );
        let text_single = text(&[op("get", HttpMethod::Get)]);
        assert!(!text_single.contains("pub enum"), "{text_single}");
        assert!(
            text_single.contains("-> Result<Page, crate::runtime::__private::Error>"),
            "{text_single}"
        );
        assert!(
            text_single.contains("200 => response.json(),"),
            "{text_single}"
        );
    }

    #[test]
    #[should_panic(expected = "broken IR: path parameter `id` of operation `list`")]
    fn a_path_parameter_among_the_params_struct_fields_is_a_broken_ir() {
        let mut list = op("list", HttpMethod::Get);
        list.query_params = vec![param("id", Type::String, true, ParamLocation::Path)];
        list.params_type = Some("ListParams".into());
        text(&[list]);
    }

    fn body(kind: BodyKind, required: bool) -> Option<Body> {
        Some(Body {
            content_type: "x".into(),
            kind,
            required,
            doc: None,
        })
    }

    fn response(status: u16, variant: &str, body: ResponseBody) -> SuccessResponse {
        SuccessResponse {
            status,
            variant: variant.into(),
            body,
            keeps_undecoded: false,
            also_multi_status: false,
            doc: None,
        }
    }

    #[test]
    fn each_body_kind_has_its_argument_and_request_builder() {
        let inputs = || Type::Named("Inputs".into());
        for (kind, required, arg, build) in [
            (
                BodyKind::Json(inputs()),
                false,
                "body: Option<&Inputs>",
                ".json_opt(body)?",
            ),
            (
                BodyKind::Json(inputs()),
                true,
                "body: &Inputs",
                ".json(body)?",
            ),
            (
                BodyKind::Form(inputs()),
                true,
                "body: &Inputs",
                ".form(body)?",
            ),
            (
                BodyKind::Form(inputs()),
                false,
                "body: Option<&Inputs>",
                ".form_opt(body)?",
            ),
            (
                BodyKind::Multipart,
                true,
                "body: crate::runtime::__private::Multipart",
                ".multipart(body)",
            ),
            (
                BodyKind::Bytes,
                true,
                "body: crate::runtime::__private::RawBody",
                ".raw(body)",
            ),
        ] {
            let mut create = op("create", HttpMethod::Post);
            create.body = body(kind.clone(), required);
            let text = compact(&text(&[create]));
            assert!(
                text.contains(&compact(&format!("pub async fn create(&self, {arg})"))),
                "{kind:?} {required}: {text}"
            );
            assert!(text.contains(&compact(build)), "{kind:?}: {text}");
        }
    }

    #[test]
    fn text_bytes_and_empty_responses_decode_as_such() {
        for (body, ret, arm, other) in [
            (
                ResponseBody::Text,
                "String",
                "200 => response.text(),",
                "|response| response.text()",
            ),
            (
                ResponseBody::Bytes,
                "Vec<u8>",
                "200 => Ok(response.into_bytes()),",
                "|response| Ok(response.into_bytes())",
            ),
            (ResponseBody::Empty, "()", "200 => Ok(()),", "|_| Ok(())"),
        ] {
            let mut get = op("get", HttpMethod::Get);
            get.responses = vec![response(200, "Ok", body.clone())];
            let text = compact(&text(&[get]));
            assert!(
                text.contains(&compact(&format!(
                    "-> Result<{ret}, crate::runtime::__private::Error>"
                ))),
                "{body:?}: {text}"
            );
            assert!(text.contains(&compact(arm)), "{body:?}: {text}");
            assert!(
                text.contains(&compact(&format!(
                    "response.undocumented(&[200], 200, {other})"
                ))),
                "{body:?}: {text}"
            );
        }
        // In a response enum: a variant without data, one with text, one with bytes.
        let mut get = op("get", HttpMethod::Get);
        get.responses = vec![
            response(200, "Ok", ResponseBody::Bytes),
            response(202, "Accepted", ResponseBody::Empty),
            response(203, "NonAuthoritative", ResponseBody::Text),
        ];
        get.response_enum = Some("GetResponse".into());
        get.undocumented_2xx_as = None;
        let text = text(&[get]);
        for expected in [
            "    Ok(Vec<u8>),",
            "    Accepted,",
            "    NonAuthoritative(String),",
            "200 => Ok(response.into_bytes()).map(GetResponse::Ok),",
            "202 => Ok(GetResponse::Accepted),",
            "203 => response.text().map(GetResponse::NonAuthoritative),",
            "_ => Err(response.undocumented_status(&[200, 202, 203])),",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
    }

    #[test]
    fn a_success_that_also_takes_a_207_matches_both_statuses() {
        let mut read = op("read", HttpMethod::Post);
        read.responses[0].also_multi_status = true;
        read.responses[0].keeps_undecoded = true;
        let text = text(&[read]);
        assert!(
            text.contains("200 | 207 => response.json_keeping(),"),
            "{text}"
        );
    }

    #[test]
    fn errors_list_and_all_or_error_merges_are_printed_and_documented() {
        let batch = |merge| {
            let mut create = op("create_batch", HttpMethod::Post);
            create.body = body(BodyKind::Json(Type::Named("Inputs".into())), true);
            create.batch = Some(Batch {
                limit: 100,
                inputs_field: "inputs".into(),
                per_input_cursors: false,
                merge,
            });
            compact(&text(&[create]))
        };
        let errors_list = batch(BatchMerge::ErrorsList { ok: 200 });
        assert!(
            errors_list.contains("merge:crate::runtime::__private::BatchMerge::ErrorsList{ok:200}"),
            "{errors_list}"
        );
        assert!(
            errors_list.contains(&compact(
                "is one `errors` entry (category `CLIENT_CHUNK_FAILED`, or \
                 `CLIENT_CHUNK_OUTCOME_UNKNOWN` when HubSpot may have carried it out) naming its \
                 inputs"
            )),
            "{errors_list}"
        );
        let all_or_error = batch(BatchMerge::AllOrError {
            ok: 204,
            json: false,
        });
        assert!(
            all_or_error.contains(
                "merge:crate::runtime::__private::BatchMerge::AllOrError{ok:204,json:false}"
            ),
            "{all_or_error}"
        );
        assert!(
            all_or_error.contains(&compact(
                "the call fails with [`Error::Batch`](crate::Error::Batch)"
            )),
            "{all_or_error}"
        );
        assert!(all_or_error.contains("body.inputs.len()"), "{all_or_error}");
    }

    #[test]
    fn a_write_is_not_marked_idempotent() {
        let text = text(&[op("create", HttpMethod::Post)]);
        assert!(!text.contains(".idempotent()"), "{text}");
        assert!(
            text.contains("Retries: a repeat could duplicate the write"),
            "{text}"
        );
    }
}
