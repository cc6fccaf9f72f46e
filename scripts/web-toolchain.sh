# The Rust toolchain that builds the page's Wasm (sourced by
# scripts/setup-web.sh, which installs it, and scripts/build-web.sh).
#
# A dated nightly, for two flags stable Rust does not take: -Zbuild-std
# (the standard library compiled with the page's profile, opt-level "z" and
# LTO, instead of the prebuilt one) and -Cpanic=immediate-abort (a panic
# traps at once, without formatting its message: on wasm32-unknown-unknown
# that message went nowhere, since the page installs no panic hook and the
# target has no stderr). Together: 1,475 -> 1,392 KB of Wasm, 621 -> 590 KB
# gzip, 503 -> 481 KB brotli (docs/performance.md, 2026-12-05). Everything
# else (the CLI, the tests, clippy, the first views) builds with stable.
# Move the date only with a rebuild that checks the page: the flag's
# spelling has changed between nightlies (it was a build-std feature).
WEB_TOOLCHAIN=nightly-2026-05-20
