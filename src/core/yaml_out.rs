//! JSON values as YAML, the way `kubectl get -o yaml` prints objects: keys
//! sorted (sigs.k8s.io/yaml goes through a Go map), two-space indentation,
//! list items at their parent's indentation, strings quoted only when YAML
//! would otherwise read them as something else.

use serde_json::Value;

/// `value` as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => mapping(&mut out, value, 0),
        Value::Array(a) if !a.is_empty() => sequence(&mut out, value, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(out: &mut String, v: &Value, depth: usize) {
    let Value::Object(m) = v else { return };
    let mut keys: Vec<&String> = m.keys().collect();
    crate::core::sort::sort(&mut keys);
    for k in keys {
        indent(out, depth);
        out.push_str(&string(k));
        out.push(':');
        child(out, &m[k], depth, false);
    }
}

fn sequence(out: &mut String, v: &Value, depth: usize) {
    let Value::Array(a) = v else { return };
    for item in a {
        indent(out, depth);
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                // The first key goes on the dash's line.
                let mut first = String::new();
                mapping(&mut first, item, depth + 2);
                out.push(' ');
                out.push_str(&first[depth + 2..]);
            }
            _ => child(out, item, depth, true),
        }
    }
}

/// What follows `key:` or `-`.
fn child(out: &mut String, v: &Value, depth: usize, in_list: bool) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, v, depth + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(out, v, if in_list { depth + 2 } else { depth });
        }
        Value::String(s) if s.contains('\n') => {
            out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
            for l in s.trim_end_matches('\n').split('\n') {
                if !l.is_empty() {
                    indent(out, depth + 2);
                    out.push_str(l);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(_) => v.to_string(),
        Value::String(s) => string(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// A string, quoted when plain YAML would change its meaning. go-yaml v2
/// (what sigs.k8s.io/yaml encodes with) double-quotes a string that would
/// read as another type (`"true"`, `"80"`, `""`: `stringv`), and its
/// emitter single-quotes one that plain style cannot carry (`'x: y'`).
fn string(s: &str) -> String {
    let other_type = s.is_empty()
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
        )
        || s.parse::<f64>().is_ok();
    if other_type {
        return Value::from(s).to_string();
    }
    let plain = !s.starts_with(|c: char| " ,[]{}#&*!|>'\"%@`".contains(c))
        && !(s.starts_with(['-', '?', ':']) && (s.len() == 1 || s[1..].starts_with(' ')))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| !c.is_control());
    if plain {
        s.to_string()
    } else if !s.contains('\'') && s.chars().all(|c| !c.is_control()) {
        format!("'{s}'")
    } else {
        Value::from(s).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prints_like_kubectl_get_o_yaml() {
        let v = json!({
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "args": ["-g", "daemon off;"], "ports": [{"containerPort": 80}]}]},
            "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.2"}], "conditions": []}
        });
        let expected = "\
apiVersion: v1
kind: Pod
metadata:
  labels:
    app: web
  name: web
spec:
  containers:
  - args:
    - -g
    - daemon off;
    image: nginx:1.27
    name: nginx
    ports:
    - containerPort: 80
status:
  conditions: []
  phase: Running
  podIPs:
  - ip: 10.244.1.2
";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn quotes_strings_that_would_read_as_something_else() {
        let v = json!({"a": "true", "b": "80", "c": "", "d": "x: y", "e": "it's", "f": "line1\nline2\n", "g": null, "h": "*"});
        assert_eq!(
            to_yaml(&v),
            "a: \"true\"\nb: \"80\"\nc: \"\"\nd: 'x: y'\ne: it's\nf: |\n  line1\n  line2\ng: null\nh: '*'\n"
        );
        assert_eq!(to_yaml(&json!({"m": ["a\tb"]})), "m:\n- \"a\\tb\"\n");
    }
}
