# Sentences around the model's labels (entity page links) and the screening
# engine's explanations (feature and rule names), translated in the view.

labels-link-as = { $links } (as { $end })
labels-link-in = { $edge } this { $schema }
labels-link-referring = { $links } (this { $schema } as { $property })
labels-link-record = { $schema } record

labels-feature-name = name
labels-feature-birth-date = birth date
labels-feature-gender = gender
labels-feature-nationality = nationality
labels-feature-document = document
labels-feature-phone = phone
labels-date-not-compared = not compared: missing on one side
labels-date-exact = same date
labels-date-year-only = year-only date agrees
labels-date-jan-first = 1 January placeholder in the same year
labels-date-day-month-swap = day and month swapped
labels-date-one-year = one year apart, same day and month
labels-date-same-year = same year, another day
labels-date-conflict = years apart
labels-gender-same = same gender
labels-gender-other = other gender
labels-nationality-shared = shared nationality
labels-nationality-other = other nationality (may be another citizenship)
labels-document-exact = document number matches exactly
labels-document-ocr = document number matches with OCR-confusable characters (O/0, I/1, S/5, B/8 …): check the document
labels-name-tokens = { $matched } of { $query } query tokens, { $candidate } candidate tokens
labels-token-exact = exact
labels-token-variant = known variant
labels-token-phonetic = phonetic
labels-token-spelling = spelling
labels-token-gender-pair = gender pair
labels-token-different = different
