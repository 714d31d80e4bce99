console.log("addon build: pending");
