//! Reading an HTML form's `application/x-www-form-urlencoded` body, shared by
//! every page route that takes a form.

/// Every name–value pair of the body, in order (a name may repeat).
pub(crate) fn fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// The first value of `name`, trimmed, or "".
pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
}

/// Every non-empty value of `name`, trimmed (a group of checkboxes).
pub(crate) fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_is_read_trimmed_and_repeats_are_all_kept() {
        let f = fields(b"csrf=x&name=+Ana+Kova%C4%8D+&tag=a&tag=&tag=b");
        assert_eq!(field(&f, "name"), "Ana Kovač");
        assert_eq!(field(&f, "missing"), "");
        assert_eq!(all(&f, "tag"), ["a", "b"]);
    }
}
