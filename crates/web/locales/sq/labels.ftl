# Fjali rreth etiketave të modelit dhe shpjegimet e kontrollit në lista.

labels-link-as = { $links } (si { $end })
labels-link-in = { $edge } (ky regjistrim: { $schema })
labels-link-referring = { $links } (ky regjistrim, { $schema }, si { $property })
labels-link-record = Regjistrimi: { $schema }

labels-feature-name = emri
labels-feature-birth-date = datëlindja
labels-feature-gender = gjinia
labels-feature-nationality = shtetësia
labels-feature-document = dokumenti
labels-feature-phone = telefoni
labels-date-not-compared = nuk u krahasua: mungon në njërën anë
labels-date-exact = e njëjta datë
labels-date-year-only = përputhet vetëm viti
labels-date-jan-first = 1 janari si datë e supozuar në të njëjtin vit
labels-date-day-month-swap = dita dhe muaji të ndërruar
labels-date-one-year = një vit diferencë, e njëjta ditë dhe muaj
labels-date-same-year = i njëjti vit, ditë tjetër
labels-date-conflict = vite të ndryshme
labels-gender-same = e njëjta gjini
labels-gender-other = gjini tjetër
labels-nationality-shared = shtetësi e përbashkët
labels-nationality-other = shtetësi tjetër (mund të jetë shtetësi e dytë)
labels-document-exact = numri i dokumentit përputhet saktësisht
labels-document-ocr = numri i dokumentit përputhet me shenja që OCR i ngatërron (O/0, I/1, S/5, B/8 …): kontrolloni dokumentin
labels-name-tokens = { $matched } nga { $query } pjesë të kërkimit, { $candidate } pjesë të kandidatit
labels-token-exact = saktë
labels-token-variant = variant i njohur
labels-token-phonetic = fonetik
labels-token-spelling = drejtshkrim
labels-token-gender-pair = çift gjinor
labels-token-different = ndryshe
