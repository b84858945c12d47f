#!/usr/bin/env bash
# Simulates every arm of the preclinical radioimmunotherapy studies of SCIENCE.md 2D
# (scenarios/mouse/, docs/mouse.md) and prints simulated against published median
# survival as a Markdown table. Each arm is its study's scenario with the arm's
# activity (--set regimen.dose=...), or regimen: none for the untreated mice.
# Usage: scripts/mouse-studies.sh [ICSIM_BINARY]   (default build/icsim)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
icsim=${1:-$root/build/icsim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# scenario | activity (or none) | published median survival, d | what else was published
arms=(
  "ac225-daratumumab-jnm2021|none|35|"
  "ac225-daratumumab-jnm2021|0.925 kBq|47|"
  "ac225-daratumumab-jnm2021|1.85 kBq|52|"
  "ac225-daratumumab-jnm2021|3.7 kBq|73|"
  "ac225-daratumumab-jnm2021|11.1 kBq|82|whole-body toxicity"
  "ac225-daratumumab-jnm2021|22.2 kBq|82|whole-body toxicity"
  "lu177-daratumumab-jnm2021|none|37|"
  "lu177-daratumumab-jnm2021|1.85 MBq|47|no delay of tumour growth"
  "lu177-daratumumab-jnm2021|3.7 MBq|55|"
  "lu177-daratumumab-jnm2021|7.4 MBq|58|"
  "lu177-daratumumab-jnm2021|11.1 MBq|about 37|tumour eradicated; deaths from whole-body toxicity"
  "bi213-anti-cd138-cherel2013|none|45.5|"
  "bi213-anti-cd138-cherel2013|1.85 MBq|about 45.5|"
  "bi213-anti-cd138-cherel2013|3.7 MBq|> 300|"
  "bi213-anti-cd138-cherel2013|7.4 MBq|227|"
  "bi213-anti-cd138-cherel2013|11.1 MBq|-|rapidly toxic"
  "bi213-9e74-fichou2015|none|37|"
  "bi213-9e74-fichou2015|3.7 MBq|80|45 % cured"
  "lu177-9e74-fichou2015|18.5 MBq|54|none cured"
  "at211-9e74-2020|none|45|"
  "at211-9e74-2020|370 kBq|-|"
  "at211-9e74-2020|555 kBq|-|"
  "at211-9e74-2020|740 kBq|not reached|65 % alive at day 160, no evident toxicity"
  "at211-9e74-2020|1100 kBq|-|highly toxic"
)

# A number from the "survival" block of summary.json.
survival_field() {
  awk -v key="\"$2\":" '/^ "survival": \{/{s=1} s && index($0, key){gsub(/[ ,]/, ""); sub(/.*:/, ""); print; exit}' "$1"
}

echo "| study | activity | simulated median, d | alive at end | deaths tumour / marrow | published median, d | published, other |"
echo "|---|---|---|---|---|---|---|"
i=0
for arm in "${arms[@]}"; do
  IFS='|' read -r scenario activity published other <<<"$arm"
  dir="$out/$i"
  i=$((i + 1))
  if [ "$activity" = none ]; then set_dose=(--set "regimen=none"); else set_dose=(--set "regimen.dose=$activity"); fi
  "$icsim" simulate "$root/scenarios/mouse/$scenario.yaml" -o "$dir" --no-timeseries "${set_dose[@]}" >/dev/null
  median=$(survival_field "$dir/summary.json" median_day)
  alive=$(survival_field "$dir/summary.json" alive)
  tumour=$(survival_field "$dir/summary.json" tumour)
  marrow=$(survival_field "$dir/summary.json" marrow)
  subjects=$(survival_field "$dir/summary.json" subjects)
  [ "$median" = null ] && median="not reached"
  echo "| $scenario | $activity | $median | $alive/$subjects | $tumour / $marrow | $published | $other |"
done
