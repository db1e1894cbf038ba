//! Serbian and Macedonian Cyrillic to Latin, after the official Serbian
//! (Vuk's) and Macedonian romanisations, which agree with Bosnian, Croatian
//! and Montenegrin Latin spellings of the same names.

/// Latin for one Cyrillic letter of the Serbian or Macedonian alphabets, in
/// lower case, or `None` when the character is not one of them.
pub(crate) fn serbian_macedonian_latin(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    Some(match lower {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "dj",
        'ѓ' => "gj",
        'е' => "e",
        'ж' => "z",
        'з' => "z",
        'ѕ' => "dz",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "c",
        'ќ' => "kj",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "c",
        'џ' => "dz",
        'ш' => "s",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_and_lower_case_agree() {
        assert_eq!(serbian_macedonian_latin('Ђ'), Some("dj"));
        assert_eq!(serbian_macedonian_latin('ђ'), Some("dj"));
        assert_eq!(serbian_macedonian_latin('Љ'), Some("lj"));
    }

    #[test]
    fn other_characters_are_not_mapped() {
        assert_eq!(serbian_macedonian_latin('a'), None);
        assert_eq!(serbian_macedonian_latin('ы'), None);
    }
}
