//! Fixed-point decimal text for `f64`, as `format!("{x:.N}")` prints it.
//!
//! Any `{:.N}` (or `{}`) of a float links the standard library's float
//! formatter (Grisu and Dragon4 with their tables, ~15 KB of Wasm), and the
//! page used it only for a few CSS percentages and timings. This scales to an
//! integer exactly (the float's mantissa times 10^N, shifted by its
//! exponent) and rounds half to even there, as the standard formatter does.
//! [`shortest`] prints like `format!("{x}")` for the zoom factor the page
//! shows, from the fixed forms.

/// `x` with `decimals` digits after the point (at most 19), like
/// `format!("{x:.decimals$}")`; for |x| · 10^decimals below 1.8e19.
pub fn fixed(x: f64, decimals: u32) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let decimals = decimals.min(19);
    let scale = 10u64.pow(decimals);
    let n = scaled(x.abs(), scale);
    if decimals == 0 {
        return format!("{sign}{n}");
    }
    format!("{sign}{}.{:0width$}", n / scale, n % scale, width = decimals as usize)
}

/// `x` as `format!("{x}")` prints it (the shortest decimal that reads back as
/// `x`) wherever that has at most 19 digits after the point and
/// |x| · 10^digits stays below 1.8e19: every finite x from 10^-3 to 10^3,
/// which covers the timeline's zoom factors (1 to 256). Elsewhere, `x` with
/// the most digits that fit.
pub fn shortest(x: f64) -> String {
    if !x.is_finite() {
        return fixed(x, 0);
    }
    let mut last = fixed(x, 0);
    for d in 1..=19u32 {
        if last.parse::<f64>() == Ok(x) {
            break;
        }
        if x.abs() * 10f64.powi(d as i32) >= 1.8e19 {
            break;
        }
        last = fixed(x, d);
    }
    last
}

/// round(x · scale) for finite x ≥ 0, exactly, ties to even; saturating at
/// u64::MAX (values past it are not printed by the page).
fn scaled(x: f64, scale: u64) -> u64 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    // x = m · 2^e exactly.
    let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | 1u64 << 52, exp - 1075) };
    let p = u128::from(m) * u128::from(scale); // < 2^53 · 10^19 < 2^117
    let n = if e >= 0 {
        if e >= 64 {
            u128::MAX
        } else {
            p.saturating_mul(1u128 << e)
        }
    } else if -e >= 128 {
        0 // below 2^117 / 2^128: rounds to zero
    } else {
        let shift = (-e) as u32;
        let q = p >> shift;
        let rem = p & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn prints_like_the_standard_formatter() {
        for &x in &[
            0.0,
            -0.0,
            0.15,
            0.25,
            0.5,
            1.5,
            0.35,
            5e-324,
            1e-300,
            123456.0625,
            1.0,
            2.5,
            99.9996,
            100.0,
            33.333333,
            0.0004,
            -0.0004,
            -12.75,
            1e6 + 0.25,
            7.0 / 3.0,
        ] {
            for d in [0u32, 1, 2, 3, 6] {
                assert_eq!(fixed(x, d), format!("{x:.*}", d as usize), "{x} with {d} decimals");
            }
        }
        // Many ordinary values: percentages of a timeline and timings.
        for i in 0..20_000u32 {
            let x = f64::from(i) * 100.0 / 7919.0;
            assert_eq!(fixed(x, 3), format!("{x:.3}"));
            assert_eq!(fixed(x, 2), format!("{x:.2}"));
            let ms = f64::from(i) * 0.0137;
            assert_eq!(fixed(ms, 1), format!("{ms:.1}"));
        }
        // Arbitrary bit patterns, from tiny to 2^40.
        let mut b = 99u64;
        for _ in 0..20_000 {
            b = b.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let exp = 1023 - 60 + (b >> 56) % 100;
            let x = f64::from_bits((b & ((1 << 52) - 1)) | exp << 52);
            for d in [0usize, 1, 3, 6, 9].into_iter().filter(|&d| x * 10f64.powi(d as i32) < 1.8e19) {
                assert_eq!(fixed(x, d as u32), format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
        // Up to 19 decimals.
        for &x in &[1.00000390625, 0.1, 1.0 / 3.0, 255.99999999999997, 1.8] {
            for d in [10u32, 13, 16, 19].into_iter().filter(|&d| x * 10f64.powi(d as i32) < 1.8e19) {
                assert_eq!(fixed(x, d), format!("{x:.*}", d as usize), "{x} with {d} decimals");
            }
        }
        assert_eq!(fixed(f64::NAN, 3), format!("{:.3}", f64::NAN));
        assert_eq!(fixed(f64::INFINITY, 3), format!("{:.3}", f64::INFINITY));
        assert_eq!(fixed(f64::NEG_INFINITY, 1), format!("{:.1}", f64::NEG_INFINITY));
    }

    #[test]
    fn shortest_prints_like_display() {
        use super::shortest;
        // The zoom factors: a power of two, or the run's length over 2 s
        // halved (run lengths in ms up to 512 s, where the zoom tops at 256).
        for end in (2000..512_000u64).step_by(7) {
            let mut z = end as f64 / 2000.0;
            while z >= 1.0 {
                assert_eq!(shortest(z), format!("{z}"), "{end} ms");
                z /= 2.0;
            }
        }
        for k in 0..=8 {
            let z = f64::from(1u32 << k);
            assert_eq!(shortest(z), format!("{z}"));
        }
        // Arbitrary bit patterns from 10^-3 to 10^3, and special values.
        let mut b = 7u64;
        for _ in 0..50_000 {
            b = b.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let x = f64::from_bits((b & ((1 << 52) - 1)) | (1023 - 10 + (b >> 58) % 20) << 52);
            let x = if b & (1 << 57) != 0 { -x } else { x };
            assert_eq!(shortest(x), format!("{x}"), "{x:e}");
        }
        for x in [0.0, -0.0, 0.5, 1e-3, 999.999, 0.1 + 0.2, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(shortest(x), format!("{x}"));
        }
    }
}
