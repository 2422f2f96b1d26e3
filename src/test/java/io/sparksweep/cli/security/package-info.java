/**
 * Tests of the clusters sparksweep starts as an attacker and a user see them: a real standalone
 * cluster ({@code jobs/standalone-cluster.sh} and the tests' {@code StandaloneCluster}) refuses
 * clients without its secret, a search with the secret runs, and the secret shows up in none of a
 * search's outputs; {@code docker/compose.yaml} publishes its ports on loopback only.
 */
package io.sparksweep.cli.security;
