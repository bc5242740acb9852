package dev.selfdistill.report;

import dev.selfdistill.study.Comparison;
import dev.selfdistill.study.RunResult;
import dev.selfdistill.study.Summary;
import java.util.List;
import java.util.Map;

/**
 * Everything a report shows, computed before rendering so that the Markdown and HTML reports
 * state the same numbers.
 *
 * @param title report title
 * @param studyYaml the resolved study file, shown at the end of the report
 * @param environment versions and machine facts (Java, DJL, engine, threads, git commit)
 * @param runs every run, including derived rows such as a born-again ensemble
 * @param labels row labels in display order; the baseline first
 * @param baselineLabel label that comparisons are made against
 * @param metrics metric names to tabulate, in display order
 * @param summaries label, then metric name, then the summary over seeds
 * @param comparisons paired comparisons of each non-baseline label against the baseline
 * @param notes free-text lines shown under the verdict (data sizes, protocol statements)
 */
public record StudyReport(
        String title,
        String studyYaml,
        Map<String, String> environment,
        List<RunResult> runs,
        List<String> labels,
        String baselineLabel,
        List<String> metrics,
        Map<String, Map<String, Summary>> summaries,
        List<Comparison> comparisons,
        List<String> notes) {}
