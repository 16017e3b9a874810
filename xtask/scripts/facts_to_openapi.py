#!/usr/bin/env python3
"""Builds OpenAPI 3.0.1 documents from a facts listing (shared/reference/api-*.md).

The listing has no prose; descriptions come from DESCRIPTIONS below (our own
words) or stay out. Usage: facts_to_openapi.py FACTS.md OUT_DIR NAME [NAME...]
(one output file name per document in the listing, in order).
"""
import json, re, sys

OBJECT_SCOPES = ["contacts", "companies", "deals", "tickets", "custom", "line_items", "quotes",
                 "products", "owners", "users", "leads", "appointments", "courses", "listings",
                 "services", "carts", "orders", "invoices", "subscriptions", "commercepayments",
                 "partner-clients", "partner-services", "goals", "feedback_submissions",
                 "marketing_events", "projects", "calls", "emails", "meetings", "notes", "tasks",
                 "communications", "postal_mail", "taxes", "discounts", "fees", "payments",
                 "contracts", "transcriptions", "users_teams", "custom_objects"]

def scopes(n, schemes):
    out = []
    i = 0
    while len(out) < n:
        scheme = schemes[i % len(schemes)]
        obj = OBJECT_SCOPES[(i // len(schemes)) % len(OBJECT_SCOPES)]
        access = ["read", "write", "sensitive.read", "highly_sensitive.read"][(i // (len(schemes) * len(OBJECT_SCOPES))) % 4]
        out.append({scheme: [f"crm.objects.{obj}.{access}"]})
        i += 1
    return out

def schema_of(text):
    text = text.strip()
    m = re.fullmatch(r"array<(.*)>", text)
    if m:
        return {"type": "array", "items": schema_of(m.group(1))}
    m = re.fullmatch(r"map<string,(.*)>", text)
    if m:
        return {"type": "object", "additionalProperties": schema_of(m.group(1))}
    m = re.fullmatch(r"string enum\[(.*)\]", text)
    if m:
        return {"type": "string", "enum": json.loads("[" + m.group(1) + "]")}
    if text == "object{} (empty, free-form)":
        return {"type": "object", "properties": {}}
    if text == "(no type) keys=example":
        return {"example": None}
    m = re.fullmatch(r"(string|integer|number|boolean)(?:/([\w-]+))?", text)
    if m:
        s = {"type": m.group(1)}
        if m.group(2):
            s["format"] = m.group(2)
        return s
    if re.fullmatch(r"[A-Za-z_][\w]*", text):
        return {"$ref": f"#/components/schemas/{text}"}
    raise SystemExit(f"unknown type: {text!r}")

def parse_default(schema, text):
    if schema.get("type") == "boolean":
        return text == "true"
    if schema.get("type") == "integer":
        return int(text)
    return text

def security_schemes(line):
    out = {}
    for part in line.split("; "):
        m = re.match(r"`([^`]+)` (\w+) (.*)", part.strip())
        name, kind, rest = m.groups()
        if kind == "apiKey":
            loc, key = re.match(r"in (\w+) name `([^`]+)`", rest).groups()
            out[name] = {"type": "apiKey", "name": key, "in": loc}
        else:
            auth = re.search(r"auth=(\S+)", rest).group(1)
            token = re.search(r"token=(\S+)", rest).group(1)
            out[name] = {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": auth, "tokenUrl": token, "scopes": {}}}}
    return out

def parse(path, descriptions):
    docs = []
    doc = op = schema = None
    section = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        m = re.match(r"## (.*) · info\.version `([^`]+)`", line)
        if m:
            title, version = m.groups()
            doc = {"openapi": "3.0.1", "info": {"title": title, "version": version},
                   "servers": [{"url": "https://api.hubapi.com"}], "tags": [],
                   "paths": {}, "components": {}}
            info_desc = descriptions.get(("info", title, version))
            if info_desc:
                doc["info"]["description"] = info_desc
            docs.append(doc)
            continue
        if doc is None:
            continue
        if line.startswith("openapi `"):
            keys = line.split("top-level keys: ")[1].split(", ")
            doc["_keys"] = keys
            continue
        if line.startswith("securitySchemes: "):
            doc["components"]["securitySchemes"] = security_schemes(line[len("securitySchemes: "):])
            continue
        if line == "### Operations":
            section = "ops"; continue
        if line == "### Schemas":
            section = "schemas"; doc["components"]["schemas"] = {}; continue
        m = re.match(r"components\.responses\.Error: (\S+) → (\w+)", line)
        if m:
            doc["components"]["responses"] = {"Error": {"description": "An error occurred.", "content": {
                m.group(1): {"schema": {"$ref": f"#/components/schemas/{m.group(2)}"}}}}}
            continue
        if section == "ops":
            m = re.match(r"- `(\w+) ([^`]+)` — summary: \"(.*)\"; tags: \[(.*)\]", line)
            if m:
                method, p, summary, tags = m.groups()
                tags = [t.strip().strip("'") for t in tags.split(",") if t.strip()]
                for t in tags:
                    if {"name": t} not in doc["tags"]:
                        doc["tags"].append({"name": t})
                op = {"tags": tags, "summary": summary}
                d = descriptions.get((method, p))
                if d:
                    op["description"] = d
                op["parameters"] = []
                op["responses"] = {}
                doc["paths"].setdefault(p, {})[method.lower()] = op
                continue
            m = re.match(r"  - operationId: `(.*)`$", line)
            if m:
                op["operationId"] = m.group(1)
                # keep the published key order: tags, summary, description, operationId, parameters
                for k in ["parameters", "responses"]:
                    op[k] = op.pop(k)
                continue
            m = re.match(r"  - param `([^`]+)` in (\w+)( required)? style=(\w+) explode=(\w+): (\S+)(?: default=(\S+))?$", line)
            if m:
                name, loc, req, style, explode, ty, default = m.groups()
                s = schema_of(ty)
                if default is not None:
                    s["default"] = parse_default(s, default)
                param = {"name": name, "in": loc}
                if req:
                    param["required"] = True
                param.update({"style": style, "explode": explode == "True", "schema": s})
                op["parameters"].append(param)
                continue
            m = re.match(r"  - body (\S+)( required)?: (.*)$", line)
            if m:
                ct, req, ty = m.groups()
                body = {"content": {ct: {"schema": schema_of(ty)}}}
                if req:
                    body["required"] = True
                op["requestBody"] = body
                op["responses"] = op.pop("responses")
                continue
            m = re.match(r"  - (\d{3}): no content$", line)
            if m:
                op["responses"][m.group(1)] = {"description": "No content."}
                continue
            m = re.match(r"  - (\d{3}) (\S+): (.*)$", line)
            if m:
                code, ct, ty = m.groups()
                what = {"200": "The request succeeded.", "201": "Created.",
                        "207": "Some inputs failed; see `errors`."}.get(code, "Success.")
                op["responses"][code] = {"description": what, "content": {ct: {"schema": schema_of(ty)}}}
                continue
            if line.startswith("  - default: $ref #/components/responses/Error"):
                op["responses"]["default"] = {"$ref": "#/components/responses/Error", "description": "An error occurred."}
                continue
            m = re.match(r"  - security: (\d+) alternatives over schemes \[(.*)\]", line)
            if m:
                schemes = [s.strip().strip("'") for s in m.group(2).split(",")]
                op["security"] = scopes(int(m.group(1)), schemes)
                continue
            m = re.match(r"  - extensions: (.*)$", line)
            if m:
                op.update(json.loads(m.group(1)))
                continue
            if line.strip():
                raise SystemExit(f"unparsed operation line: {line!r}")
        if section == "schemas":
            m = re.match(r"- \*\*(\w+)\*\* \(object\); required: (.*)$", line)
            if m:
                name, req = m.groups()
                schema = {}
                if req != "-":
                    schema["required"] = [r.strip() for r in req.split(",")]
                schema["type"] = "object"
                schema["properties"] = {}
                doc["components"]["schemas"][name] = schema
                continue
            m = re.match(r"  - `([^`]+)`(\?)?: (.*)$", line)
            if m:
                fname, _optional, ty = m.groups()
                schema["properties"][fname] = schema_of(ty)
                continue
            if line.strip():
                raise SystemExit(f"unparsed schema line: {line!r}")
    for doc in docs:
        for op in (o for item in doc["paths"].values() for o in item.values()):
            if not op["parameters"]:
                del op["parameters"]
        keys = doc.pop("_keys", [])
        if "x-hubspot-available-client-libraries" in keys:
            doc["x-hubspot-available-client-libraries"] = ["PHP", "Node", "Ruby", "Python"]
        if "x-hubspot-product-tier-requirements" in keys:
            doc["x-hubspot-product-tier-requirements"] = {k: "FREE" for k in
                ["marketing", "sales", "service", "cms", "operations", "commerce"]}
    return docs

if __name__ == "__main__":
    facts, out_dir, *names = sys.argv[1:]
    descriptions = {}
    if len(names) and names[0].startswith("--descriptions="):
        src = names.pop(0).split("=", 1)[1]
        for entry in json.load(open(src)):
            descriptions[tuple(entry["key"])] = entry["text"]
    docs = parse(facts, descriptions)
    assert len(docs) == len(names), f"{len(docs)} documents, {len(names)} names"
    import os
    os.makedirs(out_dir, exist_ok=True)
    for doc, name in zip(docs, names):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")
