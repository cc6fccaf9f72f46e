//! JSON values as `kubectl get -o json` prints objects: the JSON printer
//! (staging/src/k8s.io/cli-runtime/pkg/printers/json.go) writes
//! `json.MarshalIndent(obj, "", "    ")` of an unstructured object, a Go
//! map, so keys come sorted; Go's encoder escapes `<`, `>` and `&` (and
//! U+2028, U+2029) as `\u003c`-style escapes; empty objects and arrays
//! print as `{}` and `[]`.

use serde_json::Value;
use std::fmt::Write;

/// `value` as kubectl prints it, with a final newline.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, 0);
    out.push('\n');
    out
}

/// A List of `items`, as kubectl wraps more than one object (or none):
/// `{"apiVersion": "v1", "items": [...], "kind": "List", "metadata": {"resourceVersion": ""}}`.
pub fn list(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": { "resourceVersion": "" },
    })
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n(' ', depth * 4));
}

fn write(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => string(out, s),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                indent(out, depth + 1);
                write(out, item, depth + 1);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            crate::core::sort::sort(&mut keys);
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                indent(out, depth + 1);
                string(out, k);
                out.push_str(": ");
                write(out, &m[k.as_str()], depth + 1);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

/// A string as Go's encoder writes it (HTML-safe).
fn string(out: &mut String, s: &str) {
    let plain = Value::from(s).to_string();
    for c in plain.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn parse(text: &str) -> serde_json::Result<Value> {
        serde_json::from_str(text)
    }

    #[test]
    fn indented_with_sorted_keys_as_go_marshal_indent() {
        let v = parse(r#"{"kind":"Pod","apiVersion":"v1","metadata":{"labels":{},"name":"a<b>&c"},"spec":{"containers":[{"name":"x","ports":[]}],"n":-3}}"#).unwrap();
        assert_eq!(
            to_json(&v),
            r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "labels": {},
        "name": "a\u003cb\u003e\u0026c"
    },
    "spec": {
        "containers": [
            {
                "name": "x",
                "ports": []
            }
        ],
        "n": -3
    }
}
"#
        );
    }

    #[test]
    fn an_empty_list_is_kubectls_list() {
        assert_eq!(
            to_json(&list(Vec::new())),
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }
}
