/**
 * The interactive API reference served at GET /api/v1/docs: one self-contained HTML page (inline
 * CSS and vanilla JS, no CDN, so it works offline) that reads /api/v1/openapi.json and renders every
 * operation by tag with its parameters and schemas, plus a "Try it" form that calls the API.
 *
 * All spec and response text is put into the DOM through textContent (never innerHTML), so nothing
 * a response contains can run as script. Keep the embedded script free of backticks and "${".
 */
export const OPENAPI_PATH = "/api/v1/openapi.json";

export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const docsPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clean Care Bangladesh API — reference</title>
<style>
:root { --fg:#1d2330; --muted:#5b6475; --line:#dde1e8; --bg:#f6f7f9; --accent:#0a7d4f; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Bengali",sans-serif; color:var(--fg); background:var(--bg); }
header { position:sticky; top:0; z-index:2; background:#fff; border-bottom:1px solid var(--line); padding:10px 20px; display:flex; flex-wrap:wrap; gap:10px; align-items:center; }
header h1 { font-size:17px; margin:0 12px 0 0; }
header input, header select { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:5px; }
#token { width:320px; } #filter { width:200px; }
main { max-width:1100px; margin:0 auto; padding:16px 20px 60px; }
#intro { color:var(--muted); white-space:pre-wrap; }
h2.tag { margin:26px 0 8px; font-size:18px; border-bottom:2px solid var(--line); padding-bottom:4px; }
details.op { background:#fff; border:1px solid var(--line); border-radius:6px; margin:6px 0; }
details.op > summary { cursor:pointer; padding:8px 10px; display:flex; gap:10px; align-items:baseline; list-style:none; }
details.op[open] > summary { border-bottom:1px solid var(--line); }
.m { display:inline-block; min-width:62px; text-align:center; font-weight:700; font-size:12px; color:#fff; border-radius:4px; padding:2px 6px; text-transform:uppercase; }
.get{background:#2f6fdb}.post{background:#0a7d4f}.put{background:#b8690b}.patch{background:#8a5cc2}.delete{background:#c93636}.head,.options{background:#666}
.path { font-family:ui-monospace,Menlo,Consolas,monospace; font-weight:600; }
.sum { color:var(--muted); } .lock { margin-left:auto; color:var(--muted); font-size:12px; }
.body { padding:10px 14px 14px; }
h4 { margin:14px 0 6px; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
table { border-collapse:collapse; width:100%; } td, th { text-align:left; vertical-align:top; padding:4px 8px; border-bottom:1px solid var(--line); }
code, pre, .schema, textarea { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12.5px; }
.schema { background:var(--bg); border:1px solid var(--line); border-radius:5px; padding:8px 10px; overflow:auto; }
.schema ul { list-style:none; margin:0; padding-left:18px; } .schema > ul { padding-left:0; }
.k { font-weight:600; } .ty { color:#2f6fdb; } .req { color:#c93636; font-size:11px; } .d { color:var(--muted); } .ref { color:#8a5cc2; }
.resp { margin:6px 0; } .st { font-weight:700; }
.try { margin-top:14px; padding:10px; border:1px dashed var(--line); border-radius:6px; background:#fbfcfd; }
.try label { display:block; margin:6px 0 2px; font-weight:600; } .try input[type=text] { width:100%; padding:5px 7px; border:1px solid var(--line); border-radius:4px; font:inherit; }
.try textarea { width:100%; min-height:140px; padding:6px; border:1px solid var(--line); border-radius:4px; }
button { font:inherit; padding:6px 16px; border:0; border-radius:5px; background:var(--accent); color:#fff; cursor:pointer; margin-top:8px; }
.out { margin-top:10px; } .out pre { background:#1d2330; color:#e8ecf2; padding:10px; border-radius:5px; overflow:auto; max-height:420px; white-space:pre-wrap; word-break:break-word; }
.ok { color:var(--accent); font-weight:700; } .bad { color:#c93636; font-weight:700; } #err { color:#c93636; }
</style>
</head>
<body>
<header>
  <h1>Clean Care API</h1>
  <input id="filter" type="search" placeholder="Filter operations…" aria-label="Filter operations">
  <input id="token" type="text" placeholder="Bearer access token (kept in this browser)" aria-label="Access token" autocomplete="off">
  <select id="lang" aria-label="Accept-Language"><option value="en">English</option><option value="bn">বাংলা</option></select>
  <a href="${OPENAPI_PATH}">openapi.json</a>
</header>
<main><p id="intro">Loading ${OPENAPI_PATH} …</p><p id="err"></p><div id="ops"></div></main>
<script>
(function () {
  "use strict";
  var SPEC_URL = "${OPENAPI_PATH}";
  var TOKEN_KEY = "cleancare.docs.token";
  var METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];
  var spec = null;

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (attrs[k] == null || attrs[k] === false) continue;
      if (k === "class") el.className = attrs[k];
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]);
      else el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, child) {
    if (child == null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(el, c); }); return; }
    el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function resolve(obj) {
    var guard = 0;
    while (obj && obj.$ref && guard++ < 20) {
      var parts = obj.$ref.replace(/^#\\//, "").split("/");
      var target = spec;
      parts.forEach(function (p) { target = target ? target[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined; });
      obj = target;
    }
    return obj || {};
  }
  function refName(ref) { return ref.split("/").pop(); }

  function typeLabel(s) {
    if (s.$ref) return refName(s.$ref);
    var t = s.type;
    if (Array.isArray(t)) t = t.join(" | ");
    if (t === "array" && s.items) t = "array<" + typeLabel(s.items) + ">";
    if (!t && s.properties) t = "object";
    if (!t && (s.oneOf || s.anyOf)) t = (s.oneOf ? "oneOf" : "anyOf");
    if (!t && s.allOf) t = "allOf";
    if (s.format) t = (t || "") + " (" + s.format + ")";
    return t || "any";
  }
  function resolveShallow(s) { return s && s.$ref ? resolve(s) : s || {}; }

  // Renders a JSON schema as a readable nested list; $ref targets are expanded once per branch.
  function schemaView(schema, seen, depth) {
    seen = seen || [];
    depth = depth || 0;
    var ul = h("ul");
    renderInto(ul, schema, seen, depth);
    return depth === 0 ? h("div", { class: "schema" }, ul) : ul;
  }
  function isComplex(schema) {
    var s = resolveShallow(schema);
    return !!(s.properties || s.oneOf || s.anyOf || s.allOf || (s.additionalProperties && typeof s.additionalProperties === "object") || (s.items && isComplex(s.items)));
  }
  function constraints(s) {
    var out = [];
    if (s.enum) out.push("one of: " + s.enum.map(function (v) { return JSON.stringify(v); }).join(", "));
    if (s.const !== undefined) out.push("= " + JSON.stringify(s.const));
    ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "pattern"].forEach(function (k) {
      if (s[k] !== undefined) out.push(k + ": " + s[k]);
    });
    if (s.default !== undefined) out.push("default: " + JSON.stringify(s.default));
    if (s.example !== undefined) out.push("example: " + JSON.stringify(s.example));
    return out.join("; ");
  }
  function renderInto(ul, schema, seen, depth) {
    var name = schema && schema.$ref ? refName(schema.$ref) : null;
    if (name && seen.indexOf(name) >= 0) { ul.appendChild(h("li", null, h("span", { class: "ref" }, "↻ " + name))); return; }
    var s = resolveShallow(schema);
    var nextSeen = name ? seen.concat(name) : seen;
    if (name && depth === 0) ul.appendChild(h("li", null, h("span", { class: "ref" }, name)));
    var desc = [s.description, constraints(s)].filter(Boolean).join(" — ");
    if (s.properties) {
      var required = s.required || [];
      Object.keys(s.properties).forEach(function (key) {
        var p = s.properties[key];
        var pr = resolveShallow(p);
        var li = h("li", null, h("span", { class: "k" }, key), ": ", h("span", { class: "ty" }, typeLabel(p)),
          required.indexOf(key) >= 0 ? h("span", { class: "req" }, " required") : null);
        var pd = [pr.description, constraints(pr)].filter(Boolean).join(" — ");
        if (pd) li.appendChild(h("span", { class: "d" }, "  " + pd));
        if (depth < 8 && isComplex(p)) {
          li.appendChild(schemaView(p, nextSeen, depth + 1));
        }
        ul.appendChild(li);
      });
    } else if (s.items) {
      // Nested arrays are already labelled "array<T>" by their parent: show the item's fields directly.
      if (depth > 0 && isComplex(s.items)) renderInto(ul, s.items, nextSeen, depth);
      else ul.appendChild(h("li", null, h("span", { class: "ty" }, "array of " + typeLabel(s.items)), desc ? h("span", { class: "d" }, "  " + desc) : null,
        depth < 8 && isComplex(s.items) ? schemaView(s.items, nextSeen, depth + 1) : null));
    } else if (s.oneOf || s.anyOf || s.allOf) {
      var kind = s.oneOf ? "one of" : s.anyOf ? "any of" : "all of";
      (s.oneOf || s.anyOf || s.allOf).forEach(function (alt, i) {
        ul.appendChild(h("li", null, h("span", { class: "d" }, kind + " #" + (i + 1) + ": "), h("span", { class: "ty" }, typeLabel(alt)),
          depth < 8 ? schemaView(alt, nextSeen, depth + 1) : null));
      });
    } else if (depth === 0 || desc) {
      ul.appendChild(h("li", null, h("span", { class: "ty" }, typeLabel(s)), desc ? h("span", { class: "d" }, "  " + desc) : null));
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      ul.appendChild(h("li", null, h("span", { class: "k" }, "{key}"), ": ", h("span", { class: "ty" }, typeLabel(s.additionalProperties)),
        depth < 8 && isComplex(s.additionalProperties) ? schemaView(s.additionalProperties, nextSeen, depth + 1) : null));
    }
  }

  // An example value built from example/default/enum or the type, for prefilling the body.
  function exampleOf(schema, depth) {
    depth = depth || 0;
    var s = resolveShallow(schema);
    if (s.example !== undefined) return s.example;
    if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
    if (s.default !== undefined) return s.default;
    if (s.enum && s.enum.length) return s.enum[0];
    if (s.const !== undefined) return s.const;
    if (depth > 6) return null;
    if (s.allOf) return s.allOf.reduce(function (acc, part) { var v = exampleOf(part, depth + 1); return typeof v === "object" && v ? Object.assign(acc, v) : acc; }, {});
    if (s.oneOf || s.anyOf) return exampleOf((s.oneOf || s.anyOf)[0], depth + 1);
    var t = Array.isArray(s.type) ? s.type.filter(function (x) { return x !== "null"; })[0] : s.type;
    if (s.properties || t === "object") {
      var o = {};
      Object.keys(s.properties || {}).forEach(function (k) { o[k] = exampleOf(s.properties[k], depth + 1); });
      return o;
    }
    if (t === "array") return [exampleOf(s.items || {}, depth + 1)];
    if (t === "integer" || t === "number") return s.minimum !== undefined ? s.minimum : 0;
    if (t === "boolean") return false;
    if (t === "string") return s.format === "uuid" ? "00000000-0000-0000-0000-000000000000" : s.format === "date-time" ? new Date().toISOString() : s.format === "email" ? "user@example.com" : "string";
    return null;
  }

  function paramsTable(params) {
    return h("table", null, h("tr", null, h("th", null, "name"), h("th", null, "in"), h("th", null, "type"), h("th", null, "description")),
      params.map(function (p) {
        var s = resolveShallow(p.schema);
        return h("tr", null, h("td", null, h("code", null, p.name), p.required ? h("span", { class: "req" }, " required") : null), h("td", null, p.in),
          h("td", null, h("span", { class: "ty" }, typeLabel(p.schema || {}))), h("td", { class: "d" }, [p.description || s.description, constraints(s)].filter(Boolean).join(" — ")));
      }));
  }

  function tryForm(method, path, op, params) {
    var inputs = [];
    var box = h("div", { class: "try" }, h("strong", null, "Try it"));
    params.filter(function (p) { return p.in === "path" || p.in === "query"; }).forEach(function (p) {
      var s = resolveShallow(p.schema);
      var ex = p.example !== undefined ? p.example : s.example;
      var input = h("input", { type: "text", placeholder: ex !== undefined ? String(ex) : s.type || "", value: p.in === "path" && ex !== undefined ? String(ex) : null });
      inputs.push({ p: p, input: input });
      box.appendChild(h("label", null, p.name + " (" + p.in + (p.required ? ", required" : "") + ")"));
      box.appendChild(input);
    });
    var content = op.requestBody ? resolveShallow(op.requestBody).content || {} : {};
    var jsonType = Object.keys(content).filter(function (t) { return /json/.test(t); })[0];
    var formType = content["multipart/form-data"] ? "multipart/form-data" : null;
    var bodyArea = null, formFields = [];
    if (jsonType) {
      var media = content[jsonType];
      var ex = media.example !== undefined ? media.example : exampleOf(media.schema || {});
      bodyArea = h("textarea", { spellcheck: "false" });
      bodyArea.value = JSON.stringify(ex, null, 2);
      box.appendChild(h("label", null, "JSON body"));
      box.appendChild(bodyArea);
    } else if (formType) {
      var fs = resolveShallow(content[formType].schema);
      Object.keys(fs.properties || {}).forEach(function (k) {
        var ps = resolveShallow(fs.properties[k]);
        var isFile = ps.format === "binary" || (ps.items && resolveShallow(ps.items).format === "binary") || ps.contentMediaType;
        var input = isFile ? h("input", { type: "file", multiple: ps.type === "array" }) : h("input", { type: "text" });
        formFields.push({ name: k, input: input, file: !!isFile });
        box.appendChild(h("label", null, k + (isFile ? " (file)" : "")));
        box.appendChild(input);
      });
    }
    var out = h("div", { class: "out" });
    box.appendChild(h("button", { type: "button", onclick: function () { send(method, path, inputs, bodyArea, formFields, out); } }, "Send"));
    box.appendChild(out);
    return box;
  }

  function send(method, path, inputs, bodyArea, formFields, out) {
    out.textContent = "Sending…";
    var url = path, query = [];
    inputs.forEach(function (it) {
      var v = it.input.value;
      if (it.p.in === "path") url = url.split("{" + it.p.name + "}").join(encodeURIComponent(v));
      else if (v !== "") query.push(encodeURIComponent(it.p.name) + "=" + encodeURIComponent(v));
    });
    if (query.length) url += "?" + query.join("&");
    var headers = { "Accept": "application/json", "Accept-Language": document.getElementById("lang").value };
    var token = document.getElementById("token").value.trim().replace(/^Bearer\\s+/i, "");
    if (token) headers.Authorization = "Bearer " + token;
    var init = { method: method.toUpperCase(), headers: headers };
    if (bodyArea) { init.body = bodyArea.value; headers["Content-Type"] = "application/json"; }
    else if (formFields.length) {
      var fd = new FormData();
      formFields.forEach(function (f) {
        if (f.file) Array.prototype.forEach.call(f.input.files, function (file) { fd.append(f.name, file); });
        else if (f.input.value !== "") fd.append(f.name, f.input.value);
      });
      init.body = fd;
    }
    var started = performance.now();
    fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var pretty = text;
        try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
        var hdrs = [];
        res.headers.forEach(function (v, k) { hdrs.push(k + ": " + v); });
        out.textContent = "";
        add(out, [h("div", null, h("span", { class: res.ok ? "ok" : "bad" }, res.status + " " + res.statusText), "  " + method.toUpperCase() + " " + url + " · " + Math.round(performance.now() - started) + " ms"),
          h("h4", null, "Headers"), h("pre", null, hdrs.join("\\n")), h("h4", null, "Body"), h("pre", null, pretty || "(empty)")]);
      });
    }).catch(function (err) { out.textContent = ""; add(out, h("span", { class: "bad" }, "Request failed: " + err)); });
  }

  function operationView(method, path, op, pathParams) {
    var params = (pathParams || []).concat(op.parameters || []).map(resolve);
    var secured = (op.security || spec.security || []).length > 0;
    var body = h("div", { class: "body" });
    if (op.description) body.appendChild(h("p", null, op.description));
    if (params.length) { body.appendChild(h("h4", null, "Parameters")); body.appendChild(paramsTable(params)); }
    if (op.requestBody) {
      var rb = resolve(op.requestBody);
      body.appendChild(h("h4", null, "Request body" + (rb.required ? " (required)" : "")));
      Object.keys(rb.content || {}).forEach(function (type) {
        body.appendChild(h("div", null, h("code", null, type)));
        body.appendChild(schemaView(rb.content[type].schema || {}));
      });
    }
    body.appendChild(h("h4", null, "Responses"));
    Object.keys(op.responses || {}).forEach(function (status) {
      var r = resolve(op.responses[status]);
      var div = h("div", { class: "resp" }, h("span", { class: "st" }, status), " ", h("span", { class: "d" }, r.description || ""));
      Object.keys(r.content || {}).forEach(function (type) {
        div.appendChild(h("div", null, h("code", null, type)));
        div.appendChild(schemaView(r.content[type].schema || {}));
      });
      body.appendChild(div);
    });
    body.appendChild(tryForm(method, path, op, params));
    var det = h("details", { class: "op", "data-search": (method + " " + path + " " + (op.summary || "") + " " + (op.tags || []).join(" ")).toLowerCase() },
      h("summary", null, h("span", { class: "m " + method }, method), h("span", { class: "path" }, path), h("span", { class: "sum" }, op.summary || ""),
        secured ? h("span", { class: "lock", title: "Requires a bearer token" }, "🔒 auth") : null),
      body);
    if (op.operationId) det.id = op.operationId;
    return det;
  }

  function render() {
    var info = spec.info || {};
    var intro = document.getElementById("intro");
    intro.textContent = (info.title || "API") + " " + (info.version || "") + " · OpenAPI " + spec.openapi + (info.description ? "\\n" + info.description : "");
    var groups = {}, order = [];
    Object.keys(spec.paths || {}).sort().forEach(function (path) {
      var item = spec.paths[path];
      METHODS.forEach(function (m) {
        if (!item[m]) return;
        var tag = (item[m].tags && item[m].tags[0]) || "Other";
        if (!groups[tag]) { groups[tag] = []; order.push(tag); }
        groups[tag].push(operationView(m, path, item[m], item.parameters));
      });
    });
    var ops = document.getElementById("ops");
    order.sort().forEach(function (tag) {
      add(ops, h("section", { class: "group" }, h("h2", { class: "tag" }, tag), groups[tag]));
    });
  }

  var tokenInput = document.getElementById("token");
  try { tokenInput.value = localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { /* storage disabled */ }
  tokenInput.addEventListener("input", function () { try { localStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); } catch (e) { /* ignore */ } });
  document.getElementById("filter").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    document.querySelectorAll("details.op").forEach(function (d) { d.style.display = !q || d.getAttribute("data-search").indexOf(q) >= 0 ? "" : "none"; });
    document.querySelectorAll("section.group").forEach(function (s) { s.style.display = s.querySelector("details.op:not([style*='none'])") ? "" : "none"; });
  });

  fetch(SPEC_URL, { headers: { Accept: "application/json" } })
    .then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); return res.json(); })
    .then(function (json) { spec = json; render(); })
    .catch(function (err) { document.getElementById("intro").textContent = ""; document.getElementById("err").textContent = "Could not load " + SPEC_URL + ": " + err.message; });
})();
</script>
</body>
</html>
`;
