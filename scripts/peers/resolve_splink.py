#!/usr/bin/env python3
"""Splink (DuckDB) beside `veza resolve`: deduplicates a FEBRL-style CSV (or,
with --synth, the persons of `veza synth` as scripts/peers/synth_persons_csv.py
writes them) and writes CLUSTERS.csv (record_id,cluster_id), timing the run.

usage: resolve_splink.py INPUT.csv CLUSTERS.csv [--no-ssn | --synth] [--threshold 0.9]
Prints one JSON line: records, clusters, seconds (reading to clusters).
Model as in Splink's FEBRL examples: name/date/postcode comparisons, u by
random sampling, EM on two blocking rules, clusters at the threshold."""
import json, sys, time

import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

args = sys.argv[1:]
src, out = args[0], args[1]
no_ssn = "--no-ssn" in args
threshold = float(args[args.index("--threshold") + 1]) if "--threshold" in args else 0.9


def febrl():
    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("address_1", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("address_2", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("suburb", [1, 2]),
        cl.PostcodeComparison("postcode"),
        cl.ExactMatch("street_number"),
        cl.ExactMatch("state"),
    ]
    blocking = [
        block_on("given_name", "surname"),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("postcode", "street_number"),
        block_on("address_1", "suburb"),
    ]
    if not no_ssn:
        comparisons.append(cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]))
        blocking.append(block_on("soc_sec_id"))
    training = [block_on("date_of_birth"), block_on("postcode", "given_name")]
    return comparisons, blocking, training, block_on("given_name", "surname")


def synth():
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("gender"),
        cl.ExactMatch("nationality"),
        cl.DamerauLevenshteinAtThresholds("document_number", [1]),
        cl.DamerauLevenshteinAtThresholds("id_number", [1]),
        cl.ExactMatch("phone"),
        cl.DamerauLevenshteinAtThresholds("address", [1, 2]),
    ]
    blocking = [
        block_on("first_name", "last_name"),
        block_on("last_name", "birth_date"),
        block_on("first_name", "birth_date"),
        block_on("document_number"),
        block_on("id_number"),
        block_on("phone"),
    ]
    training = [block_on("birth_date"), block_on("first_name", "last_name")]
    return comparisons, blocking, training, block_on("first_name", "last_name", "birth_date")


start = time.time()
df = pd.read_csv(src, dtype=str, keep_default_na=False)
df = df.rename(columns={"id": "unique_id"}).replace({"": None})
comparisons, blocking, training, prior_rule = synth() if "--synth" in args else febrl()
settings = SettingsCreator(
    link_type="dedupe_only",
    comparisons=comparisons,
    blocking_rules_to_generate_predictions=blocking,
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)
db = DuckDBAPI()
linker = Linker(db.register(df), settings, log_level="WARNING")
linker.training.estimate_probability_two_random_records_match([prior_rule], recall=0.8)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
for rule in training:
    linker.training.estimate_parameters_using_expectation_maximisation(rule)
pred = linker.inference.predict(threshold_match_probability=0.5)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold).as_pandas_dataframe()
clusters[["unique_id", "cluster_id"]].rename(columns={"unique_id": "record_id"}).to_csv(out, index=False)
print(json.dumps({"records": len(df), "clusters": int(clusters["cluster_id"].nunique()), "seconds": round(time.time() - start, 3)}))
