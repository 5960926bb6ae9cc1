//! Local-government codes (全国地方公共団体コード): six digits, the last a check digit.

/// Whether a six-digit local-government code has a correct check digit: with S the sum of the
/// first five digits weighted 6, 5, 4, 3, 2, the sixth is (11 − S mod 11) mod 10.
pub fn check_digit_ok(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if code.len() != 6 || digits.len() != 6 {
        return false;
    }
    let sum: u32 = digits[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    (11 - sum % 11) % 10 == digits[5]
}

/// The two-digit prefecture code a local-government code belongs to.
pub fn prefecture_of(code: &str) -> Option<&str> {
    code.get(..2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert!(check_digit_ok("131016")); // 千代田区
        assert!(check_digit_ok("011002")); // 札幌市
        assert!(!check_digit_ok("131017"));
        assert!(!check_digit_ok("13101"));
        assert!(!check_digit_ok("13101a"));
        assert!(!check_digit_ok("１３１０１６"));
    }
}
