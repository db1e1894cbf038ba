# Реченице око ознака модела и објашњења провере у листама.

labels-link-as = { $links } (као { $end })
labels-link-in = { $edge } (овај запис: { $schema })
labels-link-referring = { $links } (овај запис, { $schema }, као { $property })
labels-link-record = Запис: { $schema }

labels-feature-name = име
labels-feature-birth-date = датум рођења
labels-feature-gender = пол
labels-feature-nationality = држављанство
labels-feature-document = документ
labels-feature-phone = телефон
labels-date-not-compared = није упоређено: недостаје на једној страни
labels-date-exact = исти датум
labels-date-year-only = подудара се само година
labels-date-jan-first = 1. јануар као заменски датум у истој години
labels-date-day-month-swap = замењени дан и месец
labels-date-one-year = годину дана разлике, исти дан и месец
labels-date-same-year = иста година, други дан
labels-date-conflict = различите године
labels-gender-same = исти пол
labels-gender-other = други пол
labels-nationality-shared = заједничко држављанство
labels-nationality-other = друго држављанство (могуће и друго држављанство исте особе)
labels-document-exact = број документа се тачно подудара
labels-document-ocr = број документа се подудара уз знакове које OCR меша ({ "O/0, I/1, S/5, B/8 …" }): проверите документ
labels-name-tokens = { $matched } од { $query } делова упита, { $candidate } делова кандидата
labels-token-exact = тачно
labels-token-variant = позната варијанта
labels-token-phonetic = фонетски
labels-token-spelling = правопис
labels-token-gender-pair = мушки/женски облик
labels-token-different = различито
