//! The intermediate model: plain data between the OpenAPI document and Rust
//! tokens. Everything here is already decided (names, boxing, which status
//! maps to which type), so the emitter only prints.

/// Everything generated from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Rust module name (`associations_schema`).
    pub module: String,
    /// `info.title`, e.g. `CRM Associations Schema`.
    pub title: String,
    /// `info.version`, e.g. `2026-03`.
    pub version: String,
    /// `info.description`, if not blank.
    pub description: Option<String>,
    /// Where it came from, relative to the specs folder.
    pub source: String,
    /// Every type to generate, from component schemas and inline ones.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The batch bodies that can be built from their items alone (see
    /// [`BatchInput`]), in type order.
    pub batch_inputs: Vec<BatchInput>,
}

/// A batch operation's body whose `new(..)` takes exactly its list of
/// inputs: it also collects from any iterator of items (`FromIterator`,
/// `From<Vec<_>>`), and, when each item is built from one record id, from
/// the ids alone. Decided in `lower::inputs`.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchInput {
    /// The body struct, e.g. `BatchInputPublicFetchAssociationsBatchRequest`.
    pub type_name: String,
    /// The item type of its list (a generated struct's name).
    pub item: String,
    /// The associated function building it from ids, e.g. `from_ids`
    /// (see [`crate::naming::FROM_IDS`]): set when the item's `new(..)`
    /// takes exactly one value, an [`ArgKind::Id`].
    pub from_ids: Option<String>,
}

/// One generated Rust type: a struct, enum, union or alias.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust type name.
    pub name: String,
    /// What in the document it was made from.
    pub origin: Origin,
    /// Schema `description` (else `title`), for the type's docs.
    pub doc: Option<String>,
    /// `deprecated: true`: the type gets `#[deprecated]`.
    pub deprecated: bool,
    /// What kind of Rust type it becomes.
    pub kind: TypeKind,
}

/// What in the document a type was made from (shown in its docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A component schema, by its name in the document.
    Schema(String),
    /// An inline schema (an object or a union), by its JSON pointer
    /// (`/paths/...`, without the leading `#`).
    Inline(String),
    /// An inline string enum, shared by every field of that name with the
    /// same values (see `lower::schema`).
    SharedEnum {
        /// The field's name as a type name, e.g. `AssociationCategory`: what
        /// identical enums are shared by.
        field: String,
        /// The field as the docs name it, e.g. `associationCategory` (see
        /// [`crate::naming::shared_enum_field`]).
        json_field: String,
    },
}

impl Origin {
    /// The JSON pointer of the schema in the document (`#/components/...`),
    /// where there is one: a shared enum stands for several.
    pub fn pointer(&self) -> Option<String> {
        match self {
            Origin::Schema(name) => Some(format!(
                "#/components/schemas/{}",
                crate::error::pointer_token(name)
            )),
            Origin::Inline(pointer) => Some(format!("#{pointer}")),
            Origin::SharedEnum { .. } => None,
        }
    }
}

/// The form the IR dump shows: the schema name, `#<pointer>`, or `enum <Field>`.
impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Schema(name) => f.write_str(name),
            Origin::Inline(pointer) => write!(f, "#{pointer}"),
            Origin::SharedEnum { field, .. } => write!(f, "enum {field}"),
        }
    }
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object: one Rust field per property.
    Struct(Vec<Field>),
    /// A string enum, open: unknown values decode into `Unknown(String)`.
    Enum(Vec<EnumVariant>),
    /// `oneOf`/`anyOf`: tried in order (untagged) or chosen by a discriminator.
    Union {
        /// `discriminator.propertyName`; `None` for an untagged union.
        discriminator: Option<String>,
        /// The members of the `oneOf`/`anyOf`, in document order.
        variants: Vec<UnionVariant>,
    },
    /// A named schema that is just another type (`type: array`, a primitive…).
    Alias(Type),
}

/// One property of an object schema, as a struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name (snake_case, raw-escaped where it is a keyword).
    pub name: String,
    /// Its builder method (see [`crate::naming::setter_name`]); `None` for
    /// a field `new(..)` takes (decided with [`Field::decode`]).
    pub setter: Option<String>,
    /// How `new(..)` and the setter take its value (see [`ArgKind::of`]).
    pub arg: ArgKind,
    /// Property name on the wire.
    pub json_name: String,
    /// The property's schema as a type; `decode` and `boxed` decide the wrapping.
    pub ty: Type,
    /// Present in `required`: the Rust type is `T`, not `Option<T>`.
    pub required: bool,
    /// `nullable: true`: `null` is accepted even when required.
    pub nullable: bool,
    /// How the field is held and how a missing or `null` value decodes:
    /// the response decoding policy, decided in `lower::policy`.
    pub decode: FieldDecode,
    /// Which other JSON kind the scalar (or each entry of a list of
    /// scalars) also decodes from: what HubSpot sends against its document,
    /// from `overrides.toml`'s quirks table, decided in `lower::policy`.
    pub scalar: ScalarDecode,
    /// The field is a list whose entries are decoded one by one when the
    /// body does not decode at once: an entry that does not decode is kept
    /// as JSON in the struct's `undecoded` list instead of failing the
    /// whole response (the `results` and `errors` of batch responses).
    pub keep_undecoded: bool,
    /// Held in a `Box`: it leads back to its own struct (see `lower::recursion`).
    pub boxed: bool,
    /// `readOnly: true`: set by HubSpot; its docs say it is ignored in requests.
    pub read_only: bool,
    /// `deprecated: true`: the field gets `#[deprecated]`.
    pub deprecated: bool,
    /// The property's `description`, for the field's docs.
    pub doc: Option<String>,
}

/// How a field is held in Rust and decoded when its key is missing or its
/// value `null`. `null` always counts as missing, for every type: where
/// missing decodes as empty or `None`, so does `null`; where missing fails,
/// `null` fails too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FieldDecode {
    /// Not in `required`: `Option<T>`, left out when `None`; missing is `None`.
    #[default]
    Optional,
    /// Required and `nullable`: `Option<T>`, always written (`null` for
    /// `None`); missing is `None`.
    Nullable,
    /// Required: `T`; missing fails decoding. `new(..)` takes it.
    Required,
    /// Required, but decodes as empty when missing (`Vec`, map or `String`
    /// default): `T`, always written. `new(..)` takes it. For the arrays and
    /// maps of response models and the message of an error shape.
    EmptyWhenMissing,
    /// Required, but decodes as `None` when missing: `Option<T>`, written
    /// when set; `new(..)` still takes it, so requests always carry it. For
    /// the other fields of error shapes and the next-page cursor.
    AbsentWhenMissing,
}

impl FieldDecode {
    /// The struct holds an `Option<T>`.
    pub fn is_option(self) -> bool {
        matches!(
            self,
            FieldDecode::Optional | FieldDecode::Nullable | FieldDecode::AbsentWhenMissing
        )
    }

    /// `new(..)` takes a value for it.
    pub fn in_constructor(self) -> bool {
        matches!(
            self,
            FieldDecode::Required | FieldDecode::EmptyWhenMissing | FieldDecode::AbsentWhenMissing
        )
    }

    /// The runtime codec's name for this kind of field of type `ty`
    /// (`runtime/codec.rs`). Lists get the `_list` form, which allocates
    /// each `Vec` at its array's length (a list field is never boxed:
    /// recursion through a `Vec` needs no box).
    pub fn codec_kind(self, ty: &Type) -> &'static str {
        let list = matches!(ty, Type::Vec(_));
        match self {
            FieldDecode::Optional | FieldDecode::AbsentWhenMissing if list => "optional_list",
            FieldDecode::Optional | FieldDecode::AbsentWhenMissing => "optional",
            FieldDecode::Nullable if list => "nullable_list",
            FieldDecode::Nullable => "nullable",
            FieldDecode::Required if list => "required_list",
            // `serde_json::Value` would hold a `null`; it counts as missing.
            FieldDecode::Required if *ty == Type::Json => "required_json",
            FieldDecode::Required => "required",
            FieldDecode::EmptyWhenMissing if list => "defaulted_list",
            FieldDecode::EmptyWhenMissing => "defaulted",
        }
    }

    /// Short form for the IR dump and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldDecode::Optional => "optional",
            FieldDecode::Nullable => "nullable",
            FieldDecode::Required => "strict",
            FieldDecode::EmptyWhenMissing => "empty-if-missing",
            FieldDecode::AbsentWhenMissing => "none-if-missing",
        }
    }
}

/// Which JSON kinds a scalar field decodes from besides the one its
/// document gives. Encoding always writes the document's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ScalarDecode {
    /// Only the document's kind.
    #[default]
    Exact,
    /// A `string` (or list of strings) also decodes from a JSON number, as
    /// its decimal text exactly as written, and from a boolean (`true`,
    /// `false`).
    StringFromNumberOrBool,
    /// An `integer` or `number` (or a list of them) also decodes from a
    /// JSON string holding a number in range (`"12"`).
    NumberFromString,
}

impl ScalarDecode {
    /// Short form for the IR dump.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarDecode::Exact => "exact",
            ScalarDecode::StringFromNumberOrBool => "string-from-number-or-bool",
            ScalarDecode::NumberFromString => "number-from-string",
        }
    }
}

impl Field {
    /// The runtime codec's name for this field (`runtime/codec.rs`): the
    /// kind of [`FieldDecode::codec_kind`], in its `_tolerant` form when the
    /// scalar also decodes from another JSON kind.
    pub fn codec_kind(&self) -> &'static str {
        let list = matches!(self.ty, Type::Vec(_));
        if self.scalar == ScalarDecode::Exact {
            return self.decode.codec_kind(&self.ty);
        }
        match self.decode {
            FieldDecode::Optional | FieldDecode::AbsentWhenMissing if list => {
                "optional_tolerant_list"
            }
            FieldDecode::Optional | FieldDecode::AbsentWhenMissing => "optional_tolerant",
            FieldDecode::Nullable if list => "nullable_tolerant_list",
            FieldDecode::Nullable => "nullable_tolerant",
            FieldDecode::Required if list => "required_tolerant_list",
            FieldDecode::Required => "required_tolerant",
            FieldDecode::EmptyWhenMissing if list => "defaulted_tolerant_list",
            FieldDecode::EmptyWhenMissing => "defaulted_tolerant",
        }
    }
}

/// How a builder (`new(..)`, a setter) or an operation method takes a
/// value, decided per field and parameter by [`ArgKind::of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ArgKind {
    /// `impl Into<T>`: `"text"` for a `String`, `"VALUE"` for an open enum,
    /// a model for itself; a path parameter that is a string is `&str`.
    #[default]
    Into,
    /// `T` itself: a `Copy` scalar (an integer literal keeps the field's
    /// own type), and lists and maps, so that `(0..n).map(..).collect()`
    /// and `vec![..]` infer their type from the argument.
    Value,
    /// A record id (see [`crate::naming::is_record_id`]): `impl
    /// Into<ObjectId>`, so `101`, `5434402448u64`, `"101"` and a `String`
    /// all pass; held and sent as the document's `String`.
    Id,
}

impl ArgKind {
    /// The rule: a `type: string` value named as a record id takes any
    /// `ObjectId`; `Copy` scalars and collections are taken as themselves;
    /// every other value through `Into`.
    pub fn of(ty: &Type, wire_name: &str) -> ArgKind {
        match ty {
            Type::String if crate::naming::is_record_id(wire_name) => ArgKind::Id,
            Type::Vec(_) | Type::Map(_) => ArgKind::Value,
            ty if ty.is_copy() => ArgKind::Value,
            _ => ArgKind::Into,
        }
    }

    /// Short form for the IR dump (`arg=id`; `Into` and `Value` follow
    /// from the type and are not shown).
    pub fn as_str(self) -> &'static str {
        match self {
            ArgKind::Into => "into",
            ArgKind::Value => "value",
            ArgKind::Id => "id",
        }
    }
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust variant name (UpperCamelCase), e.g. `HubspotDefined`.
    pub name: String,
    /// The value on the wire, e.g. `HUBSPOT_DEFINED`.
    pub value: String,
}

/// One member of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name: the member's type name, or a word (`String`, `StringList`).
    pub name: String,
    /// The member's schema as a type (the variant's payload).
    pub ty: Type,
    /// Discriminator value selecting this variant (tagged unions only).
    pub tag: Option<String>,
    /// Held in a `Box`: it leads back to the union itself (see `lower::recursion`).
    pub boxed: bool,
}

/// The type of a value: a field, a parameter, a body, an alias.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `type: string` of any other format: `String`.
    String,
    /// `type: integer, format: int32`: `i32`.
    I32,
    /// `type: integer` of any other format: `i64`.
    I64,
    /// `type: number, format: float`: `f32`.
    F32,
    /// `type: number` of any other format: `f64`.
    F64,
    /// `type: boolean`: `bool`.
    Bool,
    /// `format: date-time`: the generated crate's `Timestamp`.
    DateTime,
    /// `format: date`: the generated crate's `Date`.
    Date,
    /// Free-form or typeless: any JSON.
    Json,
    /// A generated type, by its Rust name.
    Named(String),
    /// `type: array` of the inner type: `Vec<T>`.
    Vec(Box<Type>),
    /// `additionalProperties` of the inner type: `BTreeMap<String, T>`.
    Map(Box<Type>),
}

/// One operation (path and method) of the document, as a client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust method name; the same for the same endpoint in every version.
    pub name: String,
    /// Version-free key the name was chosen by, e.g. `POST /crm/associations/{}/{}/batch/read`.
    pub endpoint: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// Path template exactly as in the document.
    pub path: String,
    /// `summary`: the first paragraph of the method's docs.
    pub summary: Option<String>,
    /// `description`: the method's docs after the summary.
    pub description: Option<String>,
    /// `deprecated: true`: the method gets `#[deprecated]`.
    pub deprecated: bool,
    /// Path parameters in path order (documents list them alphabetically).
    pub path_params: Vec<Param>,
    /// Query parameters, in document order (fields of the params struct);
    /// each `location` is `ParamLocation::Query` (emit panics on a `Path`).
    pub query_params: Vec<Param>,
    /// Header parameters, in document order (fields of the params struct);
    /// each `location` is `ParamLocation::Header`.
    pub header_params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// The documented 2xx responses, in document order (none documented: one empty 200).
    pub responses: Vec<SuccessResponse>,
    /// `x-hubspot-rate-limit-exemptions` contains `ten-secondly`.
    pub rate_limit_exempt: bool,
    /// Whether sending it twice can do harm, which decides when it is retried.
    pub retry: RetrySafety,
    /// Which of HubSpot's rate limits it counts against.
    pub rate_class: RateLimitClass,
    /// Set for batch operations (a JSON body with an `inputs` list).
    pub batch: Option<Batch>,
    /// Set when the operation pages with `after` and `paging.next.after`.
    pub paging: Option<Paging>,
    /// Name of the struct holding query and header parameters, if any.
    pub params_type: Option<String>,
    /// Name of the enum of success responses, when there are several: the
    /// method returns it. `None`: the method returns the one success's body
    /// as is ([`Operation::single_response`]).
    pub response_enum: Option<String>,
    /// Status of the documented success a 2xx the document does not list is
    /// read as: the one success whose body every non-207 success shares.
    /// `None` when there are several kinds of success (then such a status
    /// is an error naming the documented ones).
    pub undocumented_2xx_as: Option<u16>,
    /// The extra methods this operation gets (see [`crate::naming::derived_methods`]).
    pub derived: DerivedMethods,
    /// A short name for the type of its JSON body, named from the method
    /// (`BatchReadInput`; see [`crate::naming::input_alias`]); `None` when
    /// the body is not a generated type or the name is taken.
    pub input_alias: Option<String>,
}

impl Operation {
    /// The success whose body the method returns as is, when there is no
    /// response enum.
    pub fn single_response(&self) -> Option<&SuccessResponse> {
        match self.response_enum {
            Some(_) => None,
            None => self.responses.first(),
        }
    }
}

/// Names of the extra methods an operation gets beside its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DerivedMethods {
    /// `<name>_all`: follows every input's cursor (batch reads).
    pub all: Option<String>,
    /// `<name>_with`: the private method both of those call.
    pub with: Option<String>,
    /// `<name>_stream`: every item of every page.
    pub stream: Option<String>,
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `get`.
    Get,
    /// `put`.
    Put,
    /// `post`.
    Post,
    /// `delete`.
    Delete,
    /// `patch`.
    Patch,
    /// `head`.
    Head,
    /// `options`.
    Options,
    /// `trace`.
    Trace,
}

impl HttpMethod {
    /// Upper-case name, e.g. `POST` (endpoint keys, docs, the IR dump).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// Whether an operation may be sent again after the server may already have
/// processed it (a broken connection after sending, a timeout, a 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// GET, PUT, DELETE, HEAD, OPTIONS: idempotent by HTTP's definition.
    IdempotentMethod,
    /// A POST that only reads (batch read, search), marked `read_only` in overrides.toml.
    ReadOnlyPost,
    /// Any other POST or PATCH: a repeat could duplicate a write, so it is
    /// retried only when it provably never left, or after a 429.
    OnlyIfUnsent,
}

impl RetrySafety {
    /// The method and overrides decide; everything not known safe is not.
    pub fn of(method: HttpMethod, read_only: bool) -> Self {
        match method {
            HttpMethod::Get
            | HttpMethod::Put
            | HttpMethod::Delete
            | HttpMethod::Head
            | HttpMethod::Options
            | HttpMethod::Trace => RetrySafety::IdempotentMethod,
            HttpMethod::Post if read_only => RetrySafety::ReadOnlyPost,
            HttpMethod::Post | HttpMethod::Patch => RetrySafety::OnlyIfUnsent,
        }
    }

    /// May be retried after it may have been processed.
    pub fn may_repeat(self) -> bool {
        self != RetrySafety::OnlyIfUnsent
    }
}

/// Which client-side rate budget an operation draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitClass {
    /// The app's general (ten-secondly) limit.
    Standard,
    /// A CRM search endpoint: HubSpot holds these to their own, tighter
    /// per-second limit on top of the general one.
    Search,
}

impl RateLimitClass {
    /// overrides.toml decides if it says; otherwise a POST whose path ends
    /// in `/search` is a search endpoint.
    pub fn of(method: HttpMethod, path: &str, configured: Option<RateLimitKind>) -> Self {
        match configured {
            Some(RateLimitKind::Search) => RateLimitClass::Search,
            Some(RateLimitKind::Standard) => RateLimitClass::Standard,
            None if method == HttpMethod::Post
                && path.trim_end_matches('/').ends_with("/search") =>
            {
                RateLimitClass::Search
            }
            None => RateLimitClass::Standard,
        }
    }
}

/// `rate_limit = "search"` or `"standard"` in overrides.toml.
#[derive(Debug, Clone, Copy, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RateLimitKind {
    /// The app's general limit ([`RateLimitClass::Standard`]).
    Standard,
    /// The search endpoints' own limit ([`RateLimitClass::Search`]).
    Search,
}

/// One path, query or header parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name: the argument (path) or the params struct's field (query, header).
    pub name: String,
    /// Builder method of the params struct: set for optional query and
    /// header parameters (see [`crate::naming::setter_name`]).
    pub setter: Option<String>,
    /// How the method (path) or the params builder (query, header) takes
    /// its value (see [`ArgKind::of`]).
    pub arg: ArgKind,
    /// Name in the path template, query string or header, e.g. `fromObjectType`.
    pub wire_name: String,
    /// The parameter's `schema` as a type.
    pub ty: Type,
    /// `required: true`: not an `Option` (path parameters always are).
    pub required: bool,
    /// Where the value goes and, in the query, how it is spelled.
    pub location: ParamLocation,
    /// `schema.default`, as the JSON text, for the docs.
    pub default: Option<String>,
    /// The parameter's `description`, for the docs.
    pub doc: Option<String>,
}

/// Where a parameter goes. Path parameters are the method's arguments; query
/// and header parameters are fields of the operation's params struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A segment of the path, percent-encoded.
    Path,
    /// The query string, spelled as the style says.
    Query(QueryStyle),
    /// A request header.
    Header,
}

impl ParamLocation {
    /// The word the IR dump and the docs use.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query(_) => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// How a query parameter is written, decided from OpenAPI's `style` and
/// `explode` and the value's type. Each is one method of the runtime's
/// `ParamWriter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; an array repeats the key, `name=a&name=b` (`style:
    /// form`, exploded: the default). `ParamWriter::query`.
    Form,
    /// An array joined with commas, `name=a,b` (`explode: false`).
    /// `ParamWriter::query_joined`.
    CommaJoined,
    /// An object, one `key=value` per entry (`style: form`, exploded; a name
    /// such as `property.{propname}` puts the key in place of `{propname}`).
    /// `ParamWriter::query_object`.
    Object,
    /// An object as `name=key,value,key,value` (`style: form`, `explode:
    /// false`). `ParamWriter::query_object_joined`.
    ObjectJoined,
    /// An object as `name[key]=value` (`style: deepObject`).
    /// `ParamWriter::query_deep_object`.
    DeepObject,
}

impl QueryStyle {
    /// The word the IR dump uses.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryStyle::Form => "form",
            QueryStyle::CommaJoined => "comma-joined",
            QueryStyle::Object => "object",
            QueryStyle::ObjectJoined => "object-joined",
            QueryStyle::DeepObject => "deep-object",
        }
    }
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The chosen media type as in the document, e.g. `application/json` (JSON preferred).
    pub content_type: String,
    /// How the body is sent, and as which type.
    pub kind: BodyKind,
    /// `requestBody.required`: the method takes `T`, else `Option<T>`.
    pub required: bool,
    /// `requestBody.description`, for the method's docs.
    pub doc: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON of the type (also `*/*` with a structured schema).
    Json(Type),
    /// `application/x-www-form-urlencoded` of a struct.
    Form(Type),
    /// `multipart/form-data`: the caller builds the parts.
    Multipart,
    /// Anything else (`*/*`, octet streams): raw bytes.
    Bytes,
}

/// One documented 2xx response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// HTTP status, e.g. `200`, `207`.
    pub status: u16,
    /// Variant name in the response enum (`Created`, `MultiStatus`).
    pub variant: String,
    /// What the body decodes into.
    pub body: ResponseBody,
    /// The body's type keeps undecodable `results`/`errors` entries as JSON
    /// (see [`Field::keep_undecoded`]), so it is decoded entry by entry when
    /// it does not decode at once.
    pub keeps_undecoded: bool,
    /// Also decodes a 207 into this body: a batch operation whose document
    /// lists no 207 although HubSpot answers one when some inputs fail and
    /// the body has an `errors` list to carry them (2026-09's batch read).
    pub also_multi_status: bool,
    /// The response's `description`, for the docs.
    pub doc: Option<String>,
}

/// What a success response's body decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content: `()`, or a response enum variant without data.
    Empty,
    /// JSON decoded into the type.
    Json(Type),
    /// A `text/*` body: `String`.
    Text,
    /// Any other media type: `Vec<u8>`.
    Bytes,
}

/// How a listing operation pages, for its `_stream` method.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// Query parameter carrying the cursor.
    pub cursor_param: String,
    /// Type of one item of `results`.
    pub item: Type,
    /// Rust name of the page's `results` field.
    pub results_field: String,
    /// Rust name of the page's `paging` field.
    pub paging_field: String,
    /// Rust name of `paging`'s `next` field.
    pub next_field: String,
    /// Rust name of `next`'s `after` field (the cursor).
    pub after_field: String,
    /// Which levels of `paging.next.after` are `Option`s.
    pub optional: PagingOptional,
}

/// Which levels of the cursor path `paging.next.after` are `Option`s (the
/// stream method reads through them with `and_then` or `map`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PagingOptional {
    /// The body's `paging`.
    pub paging: bool,
    /// `paging.next`.
    pub next: bool,
    /// `paging.next.after`.
    pub after: bool,
}

/// How a batch operation's inputs are split into requests and the answers merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Most inputs one request may carry (from overrides.toml).
    pub limit: usize,
    /// Rust name of the body's `inputs` field, whose length the runtime
    /// splits by.
    pub inputs_field: String,
    /// Results carry `paging.next.after` per input (`from.id`), so an
    /// `_all` variant can follow them.
    pub per_input_cursors: bool,
    /// How the answers of the requests a call is split into become one.
    pub merge: BatchMerge,
}

/// How a split batch call's answers merge, by the shape of the documented
/// success responses. Mirrors the runtime's `BatchMerge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchMerge {
    /// JSON with a documented 207: a partial or failed chunk makes the
    /// merged answer the 207 (failed chunks listed in its `errors`), else `ok`.
    MultiStatus {
        /// Status of the merged answer when every chunk succeeded, e.g. `200`.
        ok: u16,
    },
    /// JSON without a 207 whose success type has an `errors` list: always
    /// `ok`, failed chunks listed in `errors`.
    ErrorsList {
        /// Status of the merged answer, e.g. `200`.
        ok: u16,
    },
    /// No body (`json: false`), or JSON with nowhere to list a failure: `ok`
    /// when every chunk succeeded, else the client's error naming the inputs
    /// done and not done.
    AllOrError {
        /// Status of the merged answer when every chunk succeeded, e.g. `204`.
        ok: u16,
        /// The success has a JSON body (`false`: no body).
        json: bool,
    },
}

impl Type {
    /// A `Copy` scalar (integers, floats, `bool`, `Timestamp`, `Date`):
    /// passed and stored by value, never through `Into` or a reference.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Type::I32
                | Type::I64
                | Type::F32
                | Type::F64
                | Type::Bool
                | Type::DateTime
                | Type::Date
        )
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::I32 => f.write_str("i32"),
            Type::I64 => f.write_str("i64"),
            Type::F32 => f.write_str("f32"),
            Type::F64 => f.write_str("f64"),
            Type::Bool => f.write_str("bool"),
            Type::DateTime => f.write_str("date-time"),
            Type::Date => f.write_str("date"),
            Type::Json => f.write_str("json"),
            Type::Named(name) => f.write_str(name),
            Type::Vec(inner) => write!(f, "[{inner}]"),
            Type::Map(inner) => write!(f, "{{string: {inner}}}"),
        }
    }
}

/// A compact, stable text form of a document's IR, one line per fact, for
/// snapshots and for reading what the generator understood.
pub fn dump(doc: &Document) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "document {} ({:?}, version {:?}) from {}",
        doc.module, doc.title, doc.version, doc.source
    );
    for t in &doc.types {
        let deprecated = if t.deprecated { " deprecated" } else { "" };
        match &t.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(w, "struct {} <- {}{deprecated}", t.name, t.origin);
                for f in fields {
                    let mut flags = Vec::new();
                    if f.required {
                        flags.push("required")
                    }
                    if f.nullable {
                        flags.push("nullable")
                    }
                    if f.boxed {
                        flags.push("boxed")
                    }
                    if f.read_only {
                        flags.push("read-only")
                    }
                    if f.deprecated {
                        flags.push("deprecated")
                    }
                    let decode = format!("decode={}", f.decode.as_str());
                    flags.push(&decode);
                    let scalar = format!("scalar={}", f.scalar.as_str());
                    if f.scalar != ScalarDecode::Exact {
                        flags.push(&scalar);
                    }
                    if f.keep_undecoded {
                        flags.push("keep-undecoded")
                    }
                    let setter = f.setter.as_ref().map(|s| format!("setter={s}"));
                    flags.extend(setter.as_deref());
                    if f.arg == ArgKind::Id {
                        flags.push("arg=id")
                    }
                    let _ = writeln!(
                        w,
                        "  {} {:?}: {} {}",
                        f.name,
                        f.json_name,
                        f.ty,
                        flags.join(" ")
                    );
                }
            }
            TypeKind::Enum(variants) => {
                let values: Vec<String> = variants
                    .iter()
                    .map(|v| format!("{}={:?}", v.name, v.value))
                    .collect();
                let _ = writeln!(
                    w,
                    "enum {} <- {}{deprecated}: {}",
                    t.name,
                    t.origin,
                    values.join(" ")
                );
            }
            TypeKind::Union {
                discriminator,
                variants,
            } => {
                let _ = writeln!(
                    w,
                    "union {} <- {}{deprecated} discriminator={discriminator:?}",
                    t.name, t.origin
                );
                for v in variants {
                    let _ = writeln!(
                        w,
                        "  {}({}) tag={:?}{}",
                        v.name,
                        v.ty,
                        v.tag,
                        if v.boxed { " boxed" } else { "" }
                    );
                }
            }
            TypeKind::Alias(ty) => {
                let _ = writeln!(w, "alias {} = {ty} <- {}{deprecated}", t.name, t.origin);
            }
        }
    }
    for b in &doc.batch_inputs {
        let from_ids = b
            .from_ids
            .as_ref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        let _ = writeln!(w, "batch-input {} of {}{from_ids}", b.type_name, b.item);
    }
    for op in &doc.operations {
        let _ = writeln!(
            w,
            "operation {} = {} {}",
            op.name,
            op.method.as_str(),
            op.path
        );
        let _ = writeln!(w, "  endpoint {:?}", op.endpoint);
        let mut flags = Vec::new();
        if op.rate_limit_exempt {
            flags.push("rate-limit-exempt".to_owned())
        }
        flags.push(
            match op.retry {
                RetrySafety::IdempotentMethod => "retry=idempotent",
                RetrySafety::ReadOnlyPost => "retry=read-only",
                RetrySafety::OnlyIfUnsent => "retry=only-if-unsent",
            }
            .to_owned(),
        );
        if op.rate_class == RateLimitClass::Search {
            flags.push("rate=search".to_owned())
        }
        if op.deprecated {
            flags.push("deprecated".to_owned())
        }
        if let Some(b) = &op.batch {
            flags.push(format!("batch-limit={}", b.limit));
            if b.per_input_cursors {
                flags.push("per-input-cursors".to_owned())
            }
            flags.push(match b.merge {
                BatchMerge::MultiStatus { ok } => format!("merge=multi-status(ok={ok})"),
                BatchMerge::ErrorsList { ok } => format!("merge=errors-list(ok={ok})"),
                BatchMerge::AllOrError { ok, json } => {
                    format!("merge=all-or-error(ok={ok}, json={json})")
                }
            });
        }
        if let Some(p) = &op.paging {
            let levels = [
                ("paging", p.optional.paging),
                ("next", p.optional.next),
                ("after", p.optional.after),
            ];
            let optional: Vec<&str> = levels
                .into_iter()
                .filter_map(|(level, optional)| optional.then_some(level))
                .collect();
            let optional = match optional.is_empty() {
                true => "none".to_owned(),
                false => optional.join("+"),
            };
            flags.push(format!(
                "pages-by={} item={} optional={optional}",
                p.cursor_param, p.item
            ))
        }
        match op.undocumented_2xx_as {
            Some(status) => flags.push(format!("other-2xx-as={status}")),
            None => flags.push("other-2xx=error".to_owned()),
        }
        let derived = [&op.derived.all, &op.derived.with, &op.derived.stream];
        for name in derived.into_iter().flatten() {
            flags.push(format!("also={name}"))
        }
        if let Some(name) = &op.params_type {
            flags.push(format!("params-type={name}"))
        }
        if let Some(name) = &op.response_enum {
            flags.push(format!("response-enum={name}"))
        }
        if let Some(name) = &op.input_alias {
            flags.push(format!("input-alias={name}"))
        }
        if !flags.is_empty() {
            let _ = writeln!(w, "  {}", flags.join(" "));
        }
        let params = op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params);
        for p in params {
            let _ = writeln!(
                w,
                "  {} {} {:?}: {}{}{}{}{}{}",
                p.location.as_str(),
                p.name,
                p.wire_name,
                p.ty,
                if p.required { " required" } else { "" },
                if p.arg == ArgKind::Id { " arg=id" } else { "" },
                match p.location {
                    ParamLocation::Query(style) => format!(" style={}", style.as_str()),
                    ParamLocation::Path | ParamLocation::Header => String::new(),
                },
                p.setter
                    .as_ref()
                    .map(|s| format!(" setter={s}"))
                    .unwrap_or_default(),
                p.default
                    .as_ref()
                    .map(|d| format!(" default={d}"))
                    .unwrap_or_default()
            );
        }
        if let Some(body) = &op.body {
            let _ = writeln!(
                w,
                "  body {} {:?}{}",
                body.content_type,
                body.kind,
                if body.required { " required" } else { "" }
            );
        }
        for r in &op.responses {
            let body = match &r.body {
                ResponseBody::Empty => "empty".to_owned(),
                ResponseBody::Json(ty) => format!("json {ty}"),
                ResponseBody::Text => "text".to_owned(),
                ResponseBody::Bytes => "bytes".to_owned(),
            };
            let keeps = if r.keeps_undecoded {
                " keeps-undecoded"
            } else {
                ""
            };
            let also = if r.also_multi_status { " also-207" } else { "" };
            let _ = writeln!(w, "  {} {} {body}{keeps}{also}", r.status, r.variant);
        }
    }
    out
}

#[cfg(test)]
mod rate_class_tests {
    use super::*;

    #[test]
    fn search_posts_are_search_unless_overridden() {
        let of = RateLimitClass::of;
        assert_eq!(
            of(
                HttpMethod::Post,
                "/crm/v3/objects/{objectType}/search",
                None
            ),
            RateLimitClass::Search
        );
        assert_eq!(
            of(HttpMethod::Get, "/crm/v3/objects/{objectType}/search", None),
            RateLimitClass::Standard
        );
        assert_eq!(
            of(
                HttpMethod::Post,
                "/crm/v4/associations/{a}/{b}/batch/read",
                None
            ),
            RateLimitClass::Standard
        );
        let forced = Some(RateLimitKind::Search);
        assert_eq!(
            of(HttpMethod::Post, "/x/query", forced),
            RateLimitClass::Search
        );
        let standard = Some(RateLimitKind::Standard);
        assert_eq!(
            of(HttpMethod::Post, "/x/search", standard),
            RateLimitClass::Standard
        );
    }
}

#[cfg(test)]
mod type_tests {
    use super::*;

    #[test]
    fn scalars_are_copy_and_owned_values_are_not() {
        let copy = [
            Type::I32,
            Type::I64,
            Type::F32,
            Type::F64,
            Type::Bool,
            Type::DateTime,
            Type::Date,
        ];
        assert!(copy.iter().all(Type::is_copy));
        let owned = [
            Type::String,
            Type::Json,
            Type::Named("Kind".into()),
            Type::Vec(Box::new(Type::I32)),
            Type::Map(Box::new(Type::Bool)),
        ];
        assert!(!owned.iter().any(Type::is_copy));
    }
}

#[cfg(test)]
mod arg_kind_tests {
    use super::*;

    #[test]
    fn record_ids_scalars_collections_and_the_rest() {
        let of = ArgKind::of;
        assert_eq!(of(&Type::String, "toObjectId"), ArgKind::Id);
        assert_eq!(of(&Type::String, "id"), ArgKind::Id);
        // Only text is an id: an integer id is already a number, a
        // date-time or a list of ids is not one id.
        assert_eq!(of(&Type::I64, "id"), ArgKind::Value);
        assert_eq!(of(&Type::DateTime, "objectId"), ArgKind::Value);
        assert_eq!(of(&Type::Vec(Box::new(Type::String)), "id"), ArgKind::Value);
        assert_eq!(of(&Type::String, "fromObjectTypeId"), ArgKind::Into);
        assert_eq!(of(&Type::String, "label"), ArgKind::Into);
        assert_eq!(of(&Type::Named("Kind".into()), "id"), ArgKind::Into);
        assert_eq!(
            of(&Type::Map(Box::new(Type::I32)), "bounds"),
            ArgKind::Value
        );
        assert_eq!(of(&Type::Json, "anything"), ArgKind::Into);
        assert_eq!(of(&Type::Bool, "done"), ArgKind::Value);
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    #[test]
    fn origins_print_as_the_dump_shows_them_and_point_into_the_document() {
        let schema = Origin::Schema("a/b".into());
        let inline = Origin::Inline("/paths/~1x/get".into());
        let shared = Origin::SharedEnum {
            field: "Status".into(),
            json_field: "status".into(),
        };
        assert_eq!(
            [&schema, &inline, &shared].map(ToString::to_string),
            ["a/b", "#/paths/~1x/get", "enum Status"]
        );
        assert_eq!(
            schema.pointer().as_deref(),
            Some("#/components/schemas/a~1b")
        );
        assert_eq!(inline.pointer().as_deref(), Some("#/paths/~1x/get"));
        assert_eq!(shared.pointer(), None);
    }
}

/// One version of the API: a folder of documents under `specs/`, which
/// becomes one cargo feature and module of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiVersion {
    /// Module and feature name (`v2026_03`).
    pub module: String,
    /// Folder name as the maintainer wrote it (`2026-03`).
    pub label: String,
    /// Its documents, lowered.
    pub documents: Vec<Document>,
}

/// What the whole generated crate is made of, decided once (in
/// `project::crate_plan`) so emit only prints it: package, versions,
/// features and the default ones, how the runtime is reached, the accessor
/// a shared `Client` gets.
#[derive(Debug, Clone, PartialEq)]
pub struct CratePlan {
    /// Package name in the generated `Cargo.toml`, e.g. `hubspot-associations`.
    pub package: String,
    /// The package's own version.
    pub version: String,
    /// `edition`, the runtime's: generated code builds with what the runtime does.
    pub edition: String,
    /// `rust-version`, the runtime's.
    pub rust_version: String,
    /// `license`, the runtime's.
    pub license: String,
    /// The API the crate is a client for, as it reads in a sentence
    /// (`HubSpot's CRM Associations API`).
    pub api_name: String,
    /// The one-line summary: the manifest's `description`, the crate docs' first line.
    pub description: String,
    /// The manifest's `keywords`; no line when empty.
    pub keywords: Vec<String>,
    /// Whether the package may go to crates.io; `false` writes
    /// `publish = false` (the construct fixtures crate, a test artifact).
    pub publish: bool,
    /// One module and cargo feature each, oldest first.
    pub versions: Vec<VersionModule>,
    /// Module of the version enabled by default (`None`: there are no versions).
    pub default_version: Option<String>,
    /// Every cargo feature, in manifest order: the runtime's, then one per version.
    pub features: Vec<CrateFeature>,
    /// The `default` feature list (runtime defaults and the default version).
    pub default_features: Vec<String>,
    /// How the crate reaches the runtime.
    pub runtime: RuntimeUse,
    /// How a shared `Client` reaches this API's versions.
    pub accessor: ApiAccessor,
    /// Extra files (e.g. CHANGELOG.md) placed as they are.
    pub extra_files: Vec<(String, String)>,
    /// Markdown placed in the crate docs after the summary, as written
    /// (`specs/crate-docs.md`): the common tasks, compiled as doctests.
    pub guide: Option<String>,
}

/// One dated version in the crate: a cargo feature and a module.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionModule {
    /// Module and feature name (`v2026_03`).
    pub module: String,
    /// Folder name as the maintainer wrote it (`2026-03`).
    pub label: String,
    /// Its documents, lowered: one module each.
    pub documents: Vec<Document>,
    /// Markdown put at the top of the module docs (changes from the previous version).
    pub notes: Option<String>,
}

/// A cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateFeature {
    /// Feature name (`gzip`, `v2026_03`).
    pub name: String,
    /// Comment lines written above it in the manifest, without `# `.
    pub doc: Vec<String>,
    /// What it enables (`hubspot-runtime/gzip`, `dep:miniz_oxide`).
    pub enables: Vec<String>,
}

/// How the generated crate gets its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeUse {
    /// A dependency on the runtime crate at an exact version, re-exported
    /// as `runtime`; every runtime feature is forwarded.
    Dependency {
        /// Package name (`hubspot-runtime`).
        package: String,
        /// Its version, pinned exactly (`=0.1.0`) since generated code uses
        /// its `#[doc(hidden)]` items.
        version: String,
        /// A path to it relative to the generated crate (a workspace
        /// build); `None` takes it from the registry.
        path: Option<String>,
    },
    /// The runtime's sources copied into `src/runtime/` with its
    /// dependencies: one self-contained crate (`--vendor-runtime`).
    Vendored {
        /// The runtime manifest's `[dependencies]` entries, as written.
        dependencies: String,
        /// Its `[dev-dependencies]` entries, as written (its unit tests come along).
        dev_dependencies: String,
        /// Its sources, by path in the generated crate (`src/runtime/mod.rs`
        /// for its `lib.rs`), as written.
        sources: Vec<(String, String)>,
    },
}

/// `client.associations().v2026_03()`: the method a runtime `Client` gets
/// (through an extension trait, since `Client` is the runtime's type), the
/// type it returns, and the trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAccessor {
    /// Method on `Client` (`associations`).
    pub method: String,
    /// The type holding the client, with one method per version (`Associations`).
    pub type_name: String,
    /// The extension trait adding `method` to `Client` (`AssociationsExt`).
    pub trait_name: String,
}
