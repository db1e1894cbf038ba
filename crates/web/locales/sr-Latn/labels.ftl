# Rečenice oko oznaka modela i objašnjenja provere u listama.

labels-link-as = { $links } (kao { $end })
labels-link-in = { $edge } (ovaj zapis: { $schema })
labels-link-referring = { $links } (ovaj zapis, { $schema }, kao { $property })
labels-link-record = Zapis: { $schema }

labels-feature-name = ime
labels-feature-birth-date = datum rođenja
labels-feature-gender = pol
labels-feature-nationality = državljanstvo
labels-feature-document = dokument
labels-feature-phone = telefon
labels-date-not-compared = nije upoređeno: nedostaje na jednoj strani
labels-date-exact = isti datum
labels-date-year-only = podudara se samo godina
labels-date-jan-first = 1. januar kao zamenski datum u istoj godini
labels-date-day-month-swap = zamenjeni dan i mesec
labels-date-one-year = godinu dana razlike, isti dan i mesec
labels-date-same-year = ista godina, drugi dan
labels-date-conflict = različite godine
labels-gender-same = isti pol
labels-gender-other = drugi pol
labels-nationality-shared = zajedničko državljanstvo
labels-nationality-other = drugo državljanstvo (moguće i drugo državljanstvo iste osobe)
labels-document-exact = broj dokumenta se tačno podudara
labels-document-ocr = broj dokumenta se podudara uz znakove koje OCR meša ({ "O/0, I/1, S/5, B/8 …" }): proverite dokument
labels-name-tokens = { $matched } od { $query } delova upita, { $candidate } delova kandidata
labels-token-exact = tačno
labels-token-variant = poznata varijanta
labels-token-phonetic = fonetski
labels-token-spelling = pravopis
labels-token-gender-pair = muški/ženski oblik
labels-token-different = različito
