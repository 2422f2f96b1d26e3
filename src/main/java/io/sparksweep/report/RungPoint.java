package io.sparksweep.report;

/**
 * One rung decision of an adaptive search (a row of its rung table): where a trial stood when the
 * scheduler promoted it, stopped it, or saw it complete its budget.
 *
 * @param trialKey the trial
 * @param repeat its repeat
 * @param bracket its bracket (0 = the most aggressive)
 * @param rung the rung it finished
 * @param epochs epochs it had trained there
 * @param valAcc its validation accuracy there (NaN when it failed or diverged)
 * @param decision {@code promoted}, {@code stopped} or {@code completed}
 */
public record RungPoint(
    String trialKey,
    int repeat,
    int bracket,
    int rung,
    int epochs,
    double valAcc,
    String decision) {}
