//! The `podplay` command's help, version and exit statuses, as `podplay
//! --help` documents them (the docs' CLI reference lists the same).

use podplay::session::command::{verbs_in_words, FORMS};

fn run(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = podplay::cli::main_with(&args, &mut std::io::empty(), &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn help_lists_every_command_and_every_action_of_the_grammar() {
    let (code, help, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for command in ["run", "validate", "lint", "examples", "check", "help", "version"] {
        assert!(help.contains(&format!("  podplay {command}")), "{command}");
    }
    for form in FORMS {
        assert!(help.contains(&format!("\n  {}", form.usage)), "{}", form.usage);
    }
    // What the help lacked before (issue 16).
    for needed in [
        "delete deployment|replicaset|statefulset|daemonset|job|cronjob/NAME",
        "scale deployment|replicaset|statefulset/NAME --replicas=N",
        "set image deployment|daemonset/NAME CONTAINER=IMAGE",
        "rollout restart deployment|daemonset/NAME",
        "rollout undo deployment/NAME [--to-revision=N]",
        "rollout pause|resume deployment/NAME",
        "--delete-emptydir-data",
        "-n NAMESPACE",
        "delete pod -l KEY=VALUE",
    ] {
        assert!(help.contains(needed), "{needed}");
    }
    // Every command's exit statuses.
    let statuses = &help[help.find("exit status:").expect("an exit status section")..];
    for command in ["run", "validate", "lint", "examples", "check", "help, version"] {
        assert!(statuses.contains(&format!("\n  {command} ")), "{command}");
    }
    assert_eq!(run(&["help"]).1, help);
    assert_eq!(run(&["-h"]).1, help);
    // No command: the same text on stderr, exit 2.
    let (code, out, err) = run(&[]);
    assert_eq!((code, out.as_str(), err.as_str()), (2, "", help.as_str()));
}

#[test]
fn version_names_the_release() {
    let (code, out, err) = run(&["--version"]);
    assert_eq!((code, out, err), (0, format!("podplay {}\n", env!("CARGO_PKG_VERSION")), String::new()));
    assert_eq!(run(&["version"]).0, 0);
}

#[test]
fn an_unknown_action_lists_every_verb() {
    let (code, out, err) = run(&["run", "example:single-container", "--at", "10s", "frobnicate pod/web"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("podplay: --at 10s \"frobnicate pod/web\": unknown action `frobnicate`: expected "),
        "{err}"
    );
    assert!(err.contains(&verbs_in_words()), "{err}");
    for verb in ["rollout undo", "rollout pause", "rollout resume", "set", "traffic", "drain"] {
        assert!(err.contains(verb), "{verb}");
    }
}

/// A refused action is reported at its time and the run goes on to the
/// end; the status is 1, as kubectl exits 1 when the server refuses.
#[test]
fn a_refused_action_finishes_the_run_and_exits_1() {
    let plain = run(&["run", "example:single-container", "--until", "30s"]);
    assert_eq!(plain.0, 0);
    let (code, out, err) =
        run(&["run", "example:single-container", "--until", "30s", "--at", "10s", "delete pod/nope"]);
    assert_eq!(code, 1);
    assert_eq!(err, "podplay: at 10s: pods \"nope\" not found\n");
    assert_eq!(out, plain.1, "the whole trace is printed, as without the action");
    // Refused by the session rather than the engine: nothing matches the selector.
    let (code, _, err) =
        run(&["run", "example:single-container", "--until", "30s", "--at", "5s", "delete pod -l app=x"]);
    assert_eq!((code, err.as_str()), (1, "podplay: at 5s: No resources found\n"));
    // Performed (a leading `kubectl` reads too): exit 0.
    let (code, out, _) =
        run(&["run", "example:single-container", "--until", "30s", "--at", "10s", "kubectl delete pod nginx"]);
    assert_eq!(code, 0);
    assert!(out.contains("DELETED"), "{out}");
}

/// Every status `podplay --help` documents, for every command.
#[test]
fn exit_statuses_are_as_documented() {
    let dir = std::env::temp_dir().join(format!("podplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: 3}\n").unwrap();
    let bad = bad.to_str().unwrap();
    let cases: &[(&[&str], i32)] = &[
        (&["run", "example:single-container", "--until", "10s"], 0),
        (&["run", "example:single-container", "--until", "10s", "--at", "5s", "kill pod/nope -c app"], 1),
        (&["run", bad], 2),
        (&["run", "nope.yaml"], 2),
        (&["run"], 2),
        (&["run", "example:single-container", "--until", "soon"], 2),
        (&["run", "example:single-container", "--at", "5s", "apply -f nope.yaml"], 2),
        (&["run", "example:single-container", "--at", "5s", "get pods"], 2),
        (&["validate", "example:single-container"], 0),
        (&["validate", bad], 1),
        (&["validate", "nope.yaml"], 2),
        (&["validate"], 2),
        (&["lint", "example:init-containers-services"], 0),
        (&["lint", "example:single-container"], 1),
        (&["lint", bad], 2),
        (&["examples"], 0),
        (&["examples", "crashloop"], 0),
        (&["examples", "nope"], 2),
        (&["check", "--list"], 0),
        (&["check", "exercise:01-image-typo"], 1),
        (&["check", "exercise:nope"], 2),
        (&["help"], 0),
        (&["version"], 0),
        (&["frobnicate"], 2),
    ];
    for (args, status) in cases {
        assert_eq!(run(args).0, *status, "podplay {}", args.join(" "));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file over the limit is refused with its real size, not the size of
/// what was read (limit + 1 byte), and a valid file cut at the limit inside
/// a multi-byte character is never called invalid UTF-8 (issue 15, item 15).
#[test]
fn an_oversized_file_is_refused_with_its_real_size() {
    let dir = std::env::temp_dir().join(format!("podplay-cli-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.yaml");
    std::fs::write(&big, format!("# {}\n", "x".repeat(3 * 1024 * 1024))).unwrap();
    let (code, _, err) = run(&["validate", big.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("big.yaml: 3073 KiB; podplay accepts at most 256 KiB of manifests"), "{err}");

    // 256 KiB of text whose last character (é, two bytes) straddles the limit.
    let cut = dir.join("cut.yaml");
    let mut text = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n# ".to_string();
    text.push_str(&"y".repeat(256 * 1024 - text.len() - 1));
    text.push('é');
    std::fs::write(&cut, &text).unwrap();
    let (code, _, err) = run(&["validate", cut.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cut.yaml: 257 KiB; podplay accepts at most 256 KiB"), "{err}");
    assert!(!err.contains("UTF-8"), "{err}");

    // Stdin is counted too; a real encoding error is still said as one.
    let mut stdin = std::io::Cursor::new(vec![b'#'; 300 * 1024]);
    let (mut out, mut errs) = (Vec::new(), Vec::new());
    let args = ["validate".to_string(), "-".to_string()];
    assert_eq!(podplay::cli::main_with(&args, &mut stdin, &mut out, &mut errs), 2);
    assert!(String::from_utf8_lossy(&errs).contains("stdin: 300 KiB"), "{}", String::from_utf8_lossy(&errs));
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, b"a: \xff\n").unwrap();
    let (code, _, err) = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.yaml: not UTF-8 text (an invalid byte at offset 3)"), "{err}");

    // An exercise file over its own limit says so with its size.
    let (code, _, err) = run(&["check", big.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("big.yaml: 3073 KiB; an exercise may be at most"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
