# Реченици околу ознаките од моделот и објаснувањата на проверката во листи.

labels-link-as = { $links } (како { $end })
labels-link-in = { $edge } (овој запис: { $schema })
labels-link-referring = { $links } (овој запис, { $schema }, како { $property })
labels-link-record = Запис: { $schema }

labels-feature-name = име
labels-feature-birth-date = датум на раѓање
labels-feature-gender = пол
labels-feature-nationality = државјанство
labels-feature-document = документ
labels-feature-phone = телефон
labels-date-not-compared = не е споредено: недостасува на едната страна
labels-date-exact = ист датум
labels-date-year-only = се совпаѓа само годината
labels-date-jan-first = 1 јануари како замена во истата година
labels-date-day-month-swap = заменети ден и месец
labels-date-one-year = година разлика, ист ден и месец
labels-date-same-year = иста година, друг ден
labels-date-conflict = различни години
labels-gender-same = ист пол
labels-gender-other = друг пол
labels-nationality-shared = заедничко државјанство
labels-nationality-other = друго државјанство (може да е второ државјанство)
labels-document-exact = бројот на документот точно се совпаѓа
labels-document-ocr = бројот на документот се совпаѓа со знаци што OCR ги меша (O/0, I/1, S/5, B/8 …): проверете го документот
labels-name-tokens = { $matched } од { $query } делови од барањето, { $candidate } делови од кандидатот
labels-token-exact = точно
labels-token-variant = позната варијанта
labels-token-phonetic = фонетски
labels-token-spelling = правопис
labels-token-gender-pair = машка/женска форма
labels-token-different = различно
