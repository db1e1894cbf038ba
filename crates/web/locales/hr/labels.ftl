# Rečenice oko oznaka modela i objašnjenja provjere u popisima.

labels-link-as = { $links } (kao { $end })
labels-link-in = { $edge } (ovaj zapis: { $schema })
labels-link-referring = { $links } (ovaj zapis, { $schema }, kao { $property })
labels-link-record = Zapis: { $schema }

labels-feature-name = ime
labels-feature-birth-date = datum rođenja
labels-feature-gender = spol
labels-feature-nationality = državljanstvo
labels-feature-document = isprava
labels-feature-phone = telefon
labels-date-not-compared = nije uspoređeno: nedostaje na jednoj strani
labels-date-exact = isti datum
labels-date-year-only = podudara se samo godina
labels-date-jan-first = 1. siječnja kao zamjenski datum u istoj godini
labels-date-day-month-swap = zamijenjeni dan i mjesec
labels-date-one-year = godinu dana razlike, isti dan i mjesec
labels-date-same-year = ista godina, drugi dan
labels-date-conflict = različite godine
labels-gender-same = isti spol
labels-gender-other = drugi spol
labels-nationality-shared = zajedničko državljanstvo
labels-nationality-other = drugo državljanstvo (moguće i drugo državljanstvo iste osobe)
labels-document-exact = broj isprave točno se podudara
labels-document-ocr = broj isprave podudara se uz znakove koje OCR zamjenjuje (O/0, I/1, S/5, B/8 …): provjerite ispravu
labels-name-tokens = { $matched } od { $query } dijelova upita, { $candidate } dijelova kandidata
labels-token-exact = točno
labels-token-variant = poznata inačica
labels-token-phonetic = fonetski
labels-token-spelling = pravopis
labels-token-gender-pair = muški/ženski oblik
labels-token-different = različito
