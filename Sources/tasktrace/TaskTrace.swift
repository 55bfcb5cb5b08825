import ArgumentParser

@main
struct TaskTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasktrace",
        abstract: "Train small multi-task networks on the CPU and study their training dynamics.",
        discussion: """
        A multi-task (MT) run trains one shared trunk with a head per task on a weighted sum of
        the task losses; a single-task (ST) run trains one task alone. Runs with the same seed
        share the trunk initialisation and the minibatch order, so ST and MT runs pair.

        Datasets: multifashion (two Fashion-MNIST items per image, tasks left and right) and
        synthetic (regression tasks t0, t1, ... with a chosen relatedness rho).

        Examples:
          tasktrace train --dataset multifashion --epochs 3            # MT, equal weights
          tasktrace train --dataset multifashion --task left --epochs 3  # ST on task left
          tasktrace train --dataset synthetic --rho 0.9 --steps 500 --weights 0.7,0.3
        """,
        subcommands: [Train.self])
}
