/** MicroProfile Health checks: readiness (the database), liveness (the JVM). */
package io.arbor.web.health;
