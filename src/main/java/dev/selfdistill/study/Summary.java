package dev.selfdistill.study;

/**
 * A metric summarised over the seeds of one method.
 *
 * @param n number of seeds with a finite value
 * @param mean sample mean
 * @param sd sample standard deviation (n - 1 in the denominator), NaN when n < 2
 * @param ciLow lower end of the 95% confidence interval of the mean (Student t), NaN when n < 2
 * @param ciHigh upper end of that interval, NaN when n < 2
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh) {}
