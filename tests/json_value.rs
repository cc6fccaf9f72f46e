//! `core::json_value` against serde_json, the library it replaced: the same
//! text for the same strings and values, and the same verdict (accepted or
//! refused) and value for the same input.
#![cfg(not(target_arch = "wasm32"))]

use podplay::core::json_value::{self, Value};
use proptest::prelude::*;

/// serde_json's value as this module's, member order kept (preserve_order).
fn convert(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(i)) => Value::from(i),
            _ => Value::Number(json_value::Number::Other(String::new())),
        },
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(convert).collect()),
        serde_json::Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), convert(v))).collect()),
    }
}

/// Numbers other than integers are kept as text here and as f64 there: compare
/// everything else.
fn blank_other_numbers(v: &mut Value) {
    match v {
        Value::Number(json_value::Number::Other(s)) => s.clear(),
        Value::Array(a) => a.iter_mut().for_each(blank_other_numbers),
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                if let Some(item) = m.get_mut(&k) {
                    blank_other_numbers(item);
                }
            }
        }
        _ => {}
    }
}

fn json_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("fals".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,3}(\\.[0-9]{0,2})?([eE][+-]?[0-9]{0,2})?",
        "\"([a-z\\\\\"/ é😀\t]|\\\\[nrtbf\"/u]|\\\\u[0-9a-fA-F]{4}|\\\\ud83d\\\\ude00|\\\\ud800)*\"?",
    ];
    atom.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), "[ \n]{0,1}[,]?")
                .prop_map(|(items, extra)| format!("[{}{extra}]", items.join(","))),
            prop::collection::vec(("\"[a-c]{0,2}\"", " ?: ?", inner), 0..5).prop_map(|members| {
                let parts: Vec<String> = members.into_iter().map(|(k, c, v)| format!("{k}{c}{v}")).collect();
                format!("{{{}}}", parts.join(" , "))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn strings_print_as_serde_json_printed_them(s in any::<String>()) {
        prop_assert_eq!(Value::from(s.as_str()).to_string(), serde_json::Value::from(s.as_str()).to_string());
    }

    #[test]
    fn parsing_agrees_with_serde_json(text in json_text()) {
        let ours = json_value::parse(&text);
        let theirs: Result<serde_json::Value, _> = serde_json::from_str(&text);
        match (ours, theirs) {
            (Ok(mut a), Ok(b)) => {
                blank_other_numbers(&mut a);
                prop_assert_eq!(a, convert(&b));
                if !text.contains(['.', 'e', 'E']) && !text.contains("-0") {
                    prop_assert_eq!(json_value::parse(&text).unwrap().to_string(), b.to_string());
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "{text:?}: ours {a:?}, serde_json {b:?}"),
        }
    }
}
